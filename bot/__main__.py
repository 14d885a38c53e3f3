"""`python -m bot` is the `asibot` command."""

from bot.cli import main

main()

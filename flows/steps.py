"""The registry of named conversation steps.

A conversation's state is a (flow, step) pair of names, never numbers, so a new
release can add steps without corrupting conversations already stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.context import Ctx

Ask = Callable[["Ctx"], Awaitable[None]]
Answer = Callable[["Ctx", str], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    """A question and the handler of its answer.

    `her_words`: the answer is her own account (her problem described, a message for her
    cadre, how the problem is now), so a problem named in it is the answer itself; at any
    other step such a problem is heard first and the question is left.
    """

    ask: Ask
    answer: Answer
    her_words: bool = False


STEPS: dict[tuple[str, str], Step] = {}


def step(
    flow: str, name: str, ask: Ask, *, her_words: bool = False
) -> Callable[[Answer], Answer]:
    """Register `ask` and the decorated answer handler as step `flow.name`."""

    def register(answer: Answer) -> Answer:
        STEPS[(flow, name)] = Step(ask, answer, her_words)
        return answer

    return register


def get(flow: str, name: str) -> Step | None:
    """The step stored in a conversation, if this release still knows it."""
    return STEPS.get((flow, name))

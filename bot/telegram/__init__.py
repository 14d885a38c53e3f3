"""The Telegram channel: parse updates (adapter), the handlers both modes share (receive),
the webhook route (routes), the polling and webhook Applications and webhook registration
(polling), and the sender (transport), through python-telegram-bot."""

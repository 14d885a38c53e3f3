"""The Telegram channel: parse updates (adapter), the webhook (routes), long polling and
webhook registration (polling), and the sender (transport), through python-telegram-bot."""

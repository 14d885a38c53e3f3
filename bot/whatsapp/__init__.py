"""The WhatsApp channel through Twilio: signed webhooks in (routes), numbered choices and
size limits (render), and the sender (transport) on twilio's async client."""

"""parity: gender parity analytics for large organisations."""

__version__ = "0.1.0"

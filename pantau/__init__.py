"""pantau: election news and social-media monitoring."""

__version__ = "0.1.0"

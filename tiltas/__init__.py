"""Tiltas: national referral mechanism and data hub against trafficking in human beings."""

__version__ = "0.1.0"

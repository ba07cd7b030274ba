"""Estimation of the hidden number of victims: multiple systems estimation (methods/, no Django)."""

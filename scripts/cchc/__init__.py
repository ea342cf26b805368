"""cchc: static-site generator for the administrative-reform (CCHC) section of Vietnamese health units."""

__version__ = "0.1.0"

"""ascdemand: adult social care demand, forecast and budget analysis for English councils."""

__version__ = "0.1.0"

"""Every call from the app into the store: cached reads keyed on the data version (`cached`),
and writes made as the signed-in user. Nothing here draws anything."""

from ascdemand.ui.services.cache import cached, cursor, data_version, reader

__all__ = ["cached", "cursor", "data_version", "reader"]

"""The simulated Dijon Métropole: communes and quartiers, the asset inventory and the vector basemap."""

from feeds.citygen.basemap import generate_basemap, write_basemap
from feeds.citygen.communes import COMMUNES, DISTRICTS, District
from feeds.citygen.inventory import generate_inventory, write_inventory

__all__ = ["COMMUNES", "DISTRICTS", "District", "generate_basemap", "generate_inventory", "write_basemap",
           "write_inventory"]

"""The city map: the whole asset inventory on a local vector basemap, coloured only by alarms."""

from widgets.citymap.basemap import BasemapLayer, basemap_layers_from_geojson
from widgets.citymap.projection import CityProjection
from widgets.citymap.theme import PRIORITY_COLOURS, MapDomain, Priority, priority_colour
from widgets.citymap.view import CityMapWidget
from widgets.citymap.viewport import Bounds, Viewport

__all__ = [
    "PRIORITY_COLOURS",
    "BasemapLayer",
    "Bounds",
    "CityMapWidget",
    "CityProjection",
    "MapDomain",
    "Priority",
    "Viewport",
    "basemap_layers_from_geojson",
    "priority_colour",
]

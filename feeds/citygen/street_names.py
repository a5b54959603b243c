"""Plausible French street names: a kind of way chosen by length, a dedication drawn from a pool.

Every commune names each of its streets once; names repeat between communes, as they do in France.
"""

from __future__ import annotations

import numpy as np

DEDICATIONS: tuple[str, ...] = (
    # people (several born in Dijon or in Burgundy)
    "Victor Hugo", "Jean Jaurès", "Pasteur", "Gustave Eiffel", "Jean-Philippe Rameau", "Bossuet",
    "Alphonse de Lamartine", "Colette", "Gaston Bachelard", "Henri Vincenot", "Claude Bernard", "Émile Zola",
    "Jules Ferry", "Léon Blum", "Jean Moulin", "Pierre Curie", "Marie Curie", "Paul Cabet", "Charles de Gaulle",
    "du Maréchal Leclerc", "du Général Delaborde", "Félix Trutat", "Chanoine Kir", "Marcelin Berthelot",
    "Voltaire", "Jean-Jacques Rousseau", "Molière", "Racine", "La Fontaine", "Condorcet", "Montesquieu",
    "Diderot", "Berlioz", "Debussy", "Ravel", "Gounod", "Georges Brassens", "Édith Piaf", "Albert Camus",
    "Antoine de Saint-Exupéry", "Jules Verne", "Louis Aragon", "Paul Éluard", "Anatole France", "George Sand",
    "Simone Veil", "Lucie Aubrac", "Olympe de Gouges", "Louise Michel", "Jean Zay", "Pierre Mendès France",
    "Gambetta", "Carnot", "Danton", "Hoche", "Marceau", "Kléber", "Vauban", "Buffon", "Daubenton",
    "Piron", "Crébillon", "François Rude", "Jean Bouhier", "Sambin", "Vercingétorix", "Philippe le Bon",
    "Jean sans Peur", "Charles le Téméraire", "Marguerite de Flandre", "Henri Dunant", "Nicéphore Niépce",
    "Lazare Carnot", "Auguste Comte", "Louis Blériot", "Roland Garros", "Jean Monnet", "Robert Schuman",
    "Guillaume Apollinaire", "Arthur Rimbaud", "Paul Verlaine", "Stendhal", "Balzac", "Flaubert",
    "Jacques Prévert", "Boris Vian", "Claude Debussy", "Frédéric Mistral", "Jean Giono", "Marcel Pagnol",
    # trees, flowers, fields
    "des Tilleuls", "des Acacias", "des Marronniers", "des Platanes", "des Peupliers", "des Érables",
    "des Charmes", "des Bouleaux", "des Cerisiers", "des Noyers", "des Saules", "des Lilas", "des Roses",
    "des Glycines", "des Violettes", "des Coquelicots", "des Bleuets", "des Genêts", "des Aubépines",
    "des Prés", "des Champs", "des Vergers", "des Jardins", "du Verger", "de la Prairie",
    # Burgundy: vineyards, villages, rivers
    "des Vignes", "des Vendanges", "du Clos Vougeot", "de Gevrey", "de Nuits", "de Beaune", "d'Auxonne",
    "de Langres", "de Gray", "de Mirande", "de la Côte", "des Grands Crus", "du Pinot", "du Cassis",
    "de l'Ouche", "de la Tille", "du Suzon", "de la Saône", "du Morvan", "de l'Auxois", "de Bourgogne",
    "du Canal", "de Plombières", "de Talant", "de Fontaine",
    # places and things
    "de la République", "de la Liberté", "de la Paix", "de l'Égalité", "de la Fraternité", "de la Gare",
    "du Moulin", "de l'Église", "des Écoles", "de la Mairie", "du Stade", "du Lavoir", "de la Fontaine",
    "du Château", "du Parc", "de la Poste", "du Marché", "des Artisans", "des Tanneries", "de la Forge",
    "du Pressoir", "du Cellier", "de la Croix", "du Calvaire", "des Carrières", "du Plateau", "des Coteaux",
    "du Coteau", "du Val", "des Combes", "de la Combe", "du Bief", "des Rochers", "du Belvédère",
    "de l'Europe", "des Nations", "du Souvenir", "des Anciens Combattants", "du 8 Mai 1945",
    "du 11 Novembre 1918", "du 14 Juillet", "de la Libération", "des Fusillés", "de la Résistance",
)

WAYS_BY_LENGTH: tuple[tuple[float, tuple[str, ...]], ...] = (
    (1.6, ("Boulevard", "Avenue")),
    (0.9, ("Avenue", "Rue")),
    (0.25, ("Rue",)),
    (0.0, ("Allée", "Impasse", "Rue")),
)
"""(minimum length in km, kinds of way drawn from): a boulevard is long, an impasse short."""


def way_kind(length_km: float, rng: np.random.Generator) -> str:
    """"Boulevard", "Avenue", "Rue", "Allée" or "Impasse", by the street's length."""
    for minimum, kinds in WAYS_BY_LENGTH:
        if length_km >= minimum:
            return str(kinds[int(rng.integers(len(kinds)))])
    raise AssertionError("the last class has no minimum")


class CommuneNames:
    """Hands out names for one commune, never the same one twice."""

    FALLBACK_WAYS = ("Rue", "Allée", "Chemin", "Passage", "Square", "Sentier")

    def __init__(self, rng: np.random.Generator) -> None:
        self._order = [DEDICATIONS[i] for i in rng.permutation(len(DEDICATIONS))]
        self._taken: dict[str, int] = {}

    def name(self, kind: str) -> str:
        """The next dedication for this kind of way; another kind once every dedication has it."""
        for way in (kind, *self.FALLBACK_WAYS):
            taken = self._taken.get(way, 0)
            if taken < len(self._order):
                self._taken[way] = taken + 1
                start = sum(map(ord, way)) * 7  # each kind of way walks the dedications from its own place
                return f"{way} {self._order[(start + taken) % len(self._order)]}"
        raise ValueError("every street name of the commune is taken")

"""Help ▸ About credits the real data the map draws, in the operator's language."""

from __future__ import annotations

from hypervisor.app import install_translation
from hypervisor.console.about import about_text


def test_the_about_box_credits_the_map_data_in_both_languages(qapp) -> None:  # type: ignore[no-untyped-def]
    english = about_text()
    assert "IGN – ADMIN EXPRESS" in english and "Licence Ouverte" in english
    assert "© OpenStreetMap contributors, ODbL" in english
    install_translation(qapp, "fr")
    try:
        french = about_text()
    finally:
        install_translation(qapp, "en")
    assert "© les contributeurs d'OpenStreetMap, ODbL" in french and "IGN – ADMIN EXPRESS" in french

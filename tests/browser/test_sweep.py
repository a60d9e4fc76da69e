"""The page-type sweeps look at every pair of colour scheme, width and
scripts on/off that the full combination would show (tests/browser/sweep.py).
No browser: these check the sweeps' parameters."""

from .sweep import (
    AXE_ALL,
    AXE_LOOKS,
    CONTRAST_ALL,
    CONTRAST_LOOKS,
    covering,
    pairs,
)


def test_each_sweep_shows_every_pair_of_scheme_width_and_scripts():
    assert covering(AXE_ALL, AXE_LOOKS)
    assert covering(CONTRAST_ALL, CONTRAST_LOOKS)
    # Fewer looks than the full combination, none twice, none outside it.
    for every, chosen in ((AXE_ALL, AXE_LOOKS), (CONTRAST_ALL, CONTRAST_LOOKS)):
        assert len(set(chosen)) == len(chosen) < len(every)
        assert set(chosen) <= set(every)


def test_a_sweep_missing_a_pair_is_caught():
    # Without the dark scheme at the tablet's width, that pair is missing.
    fewer = [look for look in AXE_LOOKS if look != ("dark", 768, True)]
    assert not covering(AXE_ALL, fewer)
    assert (((0, "dark"), (1, 768))) in pairs(AXE_ALL) - pairs(fewer)
    # Scripts off only at the phone's width: no desktop without scripts.
    no_desktop_nojs = [look for look in CONTRAST_ALL if look[1:] != (1280, False)]
    assert not covering(CONTRAST_ALL, no_desktop_nojs)

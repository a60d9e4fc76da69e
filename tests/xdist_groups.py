"""Makes ``pytest.mark.xdist_group`` work again under pytest 9 (used by
tests/conftest.py; no Django here, so a test can load it into a pytest run
of its own)."""

from _pytest.nodeid import coerce_node_id


def xdist_groups(config, items) -> None:
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one
    worker by a suffix on their node ids ("...::test@group"), which
    pytest-xdist 3.8 writes to ``item._nodeid``; pytest 9 reads node ids from
    ``item._id``, so the groups were silently ignored and each module-scoped
    server (the production site, the outage cluster) started on every worker
    that got one of its tests. Set the same suffix where pytest 9 reads it."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if names and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(sorted(names))}")

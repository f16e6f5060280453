"""Every write to CorridorModel: validate the YAML with the corridor loader, save, append to the audit log.

Nothing is saved when the text does not load: `ScenarioError.problems` carries line and column, and the admin
form shows them next to the text (corridors_admin.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction

from spis.corridors import (
    DEFAULT_FILE,
    Network,
    Problem,
    ScenarioError,
    SolverError,
    load_scenario_text,
    report,
    solve,
)
from spis.registry import audit

from .corridors_models import CorridorModel

DEFAULT_SLUG = "default"
AUDIT_FIELDS = ["slug", "title", "source_note", "is_default"]


def filename_for(slug: str) -> str:
    """The name ScenarioError messages carry for a DB copy, e.g. `db:corridor-model/default`."""
    return f"db:corridor-model/{slug or 'new'}"


def parse(yaml_text: str, slug: str) -> Network:
    """Load the text as the corridor loader does; raises ScenarioError listing every problem."""
    return load_scenario_text(yaml_text, filename_for(slug))


def check(yaml_text: str, slug: str) -> Network:
    """Load the text, then solve every scenario once: a file can load yet miss a number the solver needs.

    Raises ScenarioError (with line and column where the loader knows them); ~0.5–2 s, paid on save only.
    """
    network = parse(yaml_text, slug)
    try:
        baseline = solve(network, "baseline")
        for scenario_id in network.scenarios:
            report(network, scenario_id, baseline=baseline)
    except (KeyError, ValueError, SolverError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        raise ScenarioError(
            [Problem(f"the model loads but does not solve: {message}")], filename_for(slug)
        ) from exc
    return network


def _snapshot(obj: CorridorModel) -> dict[str, Any]:
    # The full text is in the model's history; the audit chain keeps its hash so a change is provable.
    values: dict[str, Any] = {name: getattr(obj, name) for name in AUDIT_FIELDS}
    values["yaml_sha256"] = hashlib.sha256(obj.yaml_text.encode("utf-8")).hexdigest()
    return values


@transaction.atomic
def save_corridor_model(actor: Any, obj: CorridorModel, **changes: Any) -> CorridorModel:
    """Create (obj without pk) or update a corridor model; the YAML must load, or nothing is written."""
    before = _snapshot(CorridorModel.objects.get(pk=obj.pk)) if obj.pk else None
    for name, value in changes.items():
        setattr(obj, name, value)
    check(obj.yaml_text, obj.slug)
    if before and before["is_default"] and not obj.is_default:
        # Without a default the pages would silently recreate one from the file; make the choice explicit.
        raise ValueError(
            "is_default: mark another corridor model as the default instead of unmarking this one"
        )
    if obj.is_default:
        # One default at a time: the newly marked one wins.
        CorridorModel.objects.filter(is_default=True).exclude(pk=obj.pk).update(is_default=False)
    obj.save()
    audit.append(
        actor, "corridors.save_model" if before else "corridors.create_model", obj, before, _snapshot(obj)
    )
    return obj


def ensure_default_corridor_model(actor: Any = "system:corridors") -> CorridorModel:
    """The default corridor model, created from data/corridors/default_scenario.yaml the first time (idempotent)."""
    existing = CorridorModel.objects.filter(is_default=True).first()
    if existing is not None:
        return existing
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    network = load_scenario_text(text, str(DEFAULT_FILE))
    obj = CorridorModel(
        slug=DEFAULT_SLUG if not CorridorModel.objects.filter(slug=DEFAULT_SLUG).exists() else "",
        title=str(network.meta.get("name") or "Default corridor scenario"),
        yaml_text=text,
        source_note=f"Loaded from the shipped file data/corridors/{DEFAULT_FILE.name} "
        f"(sha256 {hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}).",
        is_default=True,
    )
    if not obj.slug:
        # A non-default row already took the slug; keep it and name this one after the file's hash.
        obj.slug = f"{DEFAULT_SLUG}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"
    try:
        return save_corridor_model(actor, obj)
    except IntegrityError:
        # Two first requests raced; the other one created it.
        return CorridorModel.objects.get(is_default=True)

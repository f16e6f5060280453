"""Judgements on duplicate pairs (same / different / unsure), merges and their undoing.

Every write about duplicates happens here. A "same" judgement that joins two clusters links the root of one
into the other (`Person.merged_into`); nothing else moves: names, events and citations stay on their rows
and show under the canonical person, and custody is re-derived for the cluster by actions.rebuild_custody.
Undoing removes exactly that link and re-derives both sides, so an unmerge restores what was there.

Judgements act on clusters (after OpenSanctions' nomenklatura resolver): A=B and B=C put C with A; A≠B
stops every question between A's cluster and B's. Each judgement and each link appends to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit
from .actions import canonical, cluster_ids, rebuild_custody
from .models import DuplicateCandidate, Judgement, Person, Verdict
from .models.common import STRICTNESS
from .models.people import WITHHELD_DISPLAY_NAME


class MergeError(ValueError):
    """A judgement or merge that cannot be applied, with the reason in words."""


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def cluster(person: Person) -> list[int]:
    """Ids of every record in the person's cluster (the canonical root and everything merged into it)."""
    return cluster_ids(canonical(person))


def _active() -> Any:
    return Judgement.objects.filter(undone_at=None)


def judged_different(a: Person, b: Person) -> Judgement | None:
    """The judgement, if any, that says a's cluster and b's cluster are different people."""
    ca, cb = cluster(a), cluster(b)
    return (
        _active()
        .filter(verdict=Verdict.DIFFERENT)
        .filter(Q(left__in=ca, right__in=cb) | Q(left__in=cb, right__in=ca))
        .first()
    )


def _link(actor: Any, judgement: Judgement, duplicate_root: Person, target: Person) -> None:
    """Set duplicate_root.merged_into = target and re-derive the joined cluster."""
    # update(), not save(): nothing on the row but the link may change, so an unmerge can restore it exactly.
    # Both records' updated_at moves: the target now shows the duplicate's names and events (the change feed
    # of those who see every level reads it).
    now = timezone.now()
    Person.objects.filter(pk=duplicate_root.pk).update(merged_into=target, updated_at=now)
    Person.objects.filter(pk=target.pk).update(updated_at=now)
    duplicate_root.merged_into = target
    judgement.linked, judgement.linked_to = duplicate_root, target
    judgement.save(update_fields=["linked", "linked_to"])
    rebuild_custody([target.pk])
    audit.append(
        actor,
        "merge",
        duplicate_root,
        {"merged_into": None},
        {"merged_into": target.public_id, "judgement": judgement.pk},
    )


def _choose_target(a_root: Person, b_root: Person) -> tuple[Person, Person]:
    """(duplicate root, target root): the more confidential root stays canonical, else the older record (a
    cluster is shown at its root's level, so the root must be the most guarded)."""
    la, lb = STRICTNESS.get(a_root.confidentiality, 2), STRICTNESS.get(b_root.confidentiality, 2)
    if la != lb:
        return (b_root, a_root) if la > lb else (a_root, b_root)
    return (b_root, a_root) if a_root.pk < b_root.pk else (a_root, b_root)


@transaction.atomic
def judge(
    actor: Any,
    left: Person,
    right: Person,
    verdict: str,
    *,
    note: str = "",
    candidate: DuplicateCandidate | None = None,
    into: Person | None = None,
) -> Judgement:
    """Record a verdict on two records and apply it to their clusters.

    `into` (for "same") names the record whose cluster stays canonical; by default the more confidential,
    else the older, cluster does. Raises MergeError when the verdict contradicts one in force.
    """
    if verdict not in Verdict.values:
        raise MergeError(f"verdict: {verdict!r} is not one of {', '.join(Verdict.values)}")
    left, right = (Person.objects.select_for_update().get(pk=p.pk) for p in (left, right))
    if left.pk == right.pk:
        raise MergeError(f"{left.public_id}: a record cannot be judged against itself")
    a_root, b_root = canonical(left), canonical(right)
    if verdict == Verdict.SAME:
        blocker = judged_different(left, right)
        if blocker is not None:
            raise MergeError(
                f"{left.public_id} and {right.public_id} were judged different by {blocker.actor} on "
                f"{blocker.at:%Y-%m-%d} (judgement {blocker.pk}); undo that judgement first"
            )
    elif verdict == Verdict.DIFFERENT and a_root.pk == b_root.pk:
        raise MergeError(
            f"{left.public_id} and {right.public_id} are merged into {a_root.public_id}; "
            "undo the merge before judging them different"
        )
    judgement = Judgement.objects.create(
        left=left,
        right=right,
        verdict=verdict,
        candidate=candidate,
        note=note,
        by=_user(actor),
        actor=audit.actor_label(actor),
        at=timezone.now(),
    )
    audit.append(
        actor,
        "judge",
        judgement,
        None,
        {"left": left.public_id, "right": right.public_id, "verdict": verdict, "note": note},
    )
    if verdict == Verdict.SAME and a_root.pk != b_root.pk:
        if into is not None:
            target = canonical(into)
            duplicate = b_root if target.pk == a_root.pk else a_root
            if STRICTNESS.get(duplicate.confidentiality, 2) > STRICTNESS.get(target.confidentiality, 2):
                raise MergeError(
                    f"{duplicate.public_id} is {duplicate.confidentiality} but {target.public_id} is "
                    f"{target.confidentiality}: merging would show it at a lower level; raise "
                    f"{target.public_id}'s confidentiality first, or merge the other way"
                )
        else:
            duplicate, target = _choose_target(a_root, b_root)
        _link(actor, judgement, duplicate, target)
    if candidate is not None:
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(status=verdict)
    refresh_candidates([*cluster(left), *cluster(right)])
    return judgement


def merge(actor: Any, duplicate: Person, into: Person, *, note: str = "") -> Judgement:
    """Merge `duplicate` (and its cluster) into `into`'s cluster: a "same" judgement with a fixed direction."""
    if canonical(duplicate).pk == canonical(into).pk:
        raise MergeError(f"{duplicate.public_id} is already merged into {canonical(into).public_id}")
    return judge(actor, duplicate, into, Verdict.SAME, note=note, into=into)


@transaction.atomic
def undo(actor: Any, judgement: Judgement) -> Judgement:
    """Withdraw a judgement; the links of its cluster are re-derived from the judgements still in force.

    Undoing the only judgement behind a merge unlinks exactly that record, so an unmerge restores what
    was there; when other "same" judgements still join the records (A=B, B=C, A=C; undo A=B) they stay one.
    """
    judgement = Judgement.objects.select_for_update().get(pk=judgement.pk)
    if judgement.undone_at is not None:
        raise MergeError(f"judgement {judgement.pk} was already undone by {judgement.undone_by}")
    judgement.undone_at = timezone.now()
    judgement.undone_by = audit.actor_label(actor)
    judgement.save(update_fields=["undone_at", "undone_by"])
    audit.append(actor, "undo_judgement", judgement, {"verdict": judgement.verdict}, {"undone": True})
    members = set(cluster(judgement.left)) | set(cluster(judgement.right))
    if judgement.linked_id:
        _relink(actor, members, judgement)
        for person in Person.objects.filter(pk__in=members, merged_into=None).order_by("pk"):
            # A record shown on its own again shows its own display name, with its own names: one allowed
            # because a record merged into it had a public name of that text may now be a sealed alias alone.
            if person.shows_a_withheld_name():
                raise MergeError(f"{person.public_id}: {WITHHELD_DISPLAY_NAME}")
    if judgement.candidate_id:
        DuplicateCandidate.objects.filter(pk=judgement.candidate_id).update(
            status=DuplicateCandidate.Status.OPEN
        )
    refresh_candidates(members)
    return judgement


def _relink(actor: Any, members: set[int], undone: Judgement) -> None:
    """Replay the "same" judgements in force among `members`, oldest first, and apply the changed links."""
    people = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=members)}
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while pk in parent:
            pk = parent[pk]
        return pk

    replay = list(
        _active().filter(verdict=Verdict.SAME, left__in=members, right__in=members).order_by("at", "id")
    )
    links: dict[int, tuple[int, int] | None] = {}
    for j in replay:
        ra, rb = root(j.left_id), root(j.right_id)
        if ra == rb:
            links[j.pk] = None
            continue
        # Keep the direction the judgement first took (a reviewer may have chosen the canonical record)
        # unless that would put a more confidential record under a less confidential one.
        if j.linked_id and {root(j.linked_id), root(j.linked_to_id)} == {ra, rb}:
            dup, target = people[root(j.linked_id)], people[root(j.linked_to_id)]
        else:
            dup, target = _choose_target(people[ra], people[rb])
        if STRICTNESS.get(dup.confidentiality, 2) > STRICTNESS.get(target.confidentiality, 2):
            dup, target = target, dup
        parent[dup.pk] = target.pk
        links[j.pk] = (dup.pk, target.pk)
    now = timezone.now()
    for pk, person in people.items():
        new = parent.get(pk)
        if new == person.merged_into_id:
            continue
        # The record and the one it left both show other names and events now.
        Person.objects.filter(pk__in=[pk, person.merged_into_id, new]).update(updated_at=now)
        Person.objects.filter(pk=pk).update(merged_into=new)
        old = people[person.merged_into_id].public_id if person.merged_into_id else None
        after = {"merged_into": people[new].public_id if new else None, "undone_judgement": undone.pk}
        audit.append(actor, "unmerge" if new is None else "relink", person, {"merged_into": old}, after)
    for j in replay:
        link = links[j.pk]
        j.linked_id, j.linked_to_id = link if link else (None, None)
        j.save(update_fields=["linked", "linked_to"])
    rebuild_custody(list(members))


def unmerge(actor: Any, person: Person) -> Judgement:
    """Undo the merge that linked `person` into another record."""
    if not person.merged_into_id:
        raise MergeError(f"{person.public_id} is not merged into anything")
    judgement = _active().filter(linked=person).order_by("-at").first()
    if judgement is None:
        raise MergeError(f"{person.public_id} was merged outside the review queue; no judgement to undo")
    return undo(actor, judgement)


def refresh_candidates(person_ids: Iterable[int]) -> int:
    """Re-settle queue entries touching these records: same cluster or judged different -> settled."""
    ids = list(set(person_ids))
    entries = DuplicateCandidate.objects.filter(
        Q(left__in=ids) | Q(right__in=ids),
        status__in=[DuplicateCandidate.Status.OPEN, DuplicateCandidate.Status.SETTLED],
    ).select_related("left", "right")
    changed = 0
    for entry in entries:
        settled = canonical(entry.left).pk == canonical(entry.right).pk or (
            judged_different(entry.left, entry.right) is not None
        )
        status = DuplicateCandidate.Status.SETTLED if settled else DuplicateCandidate.Status.OPEN
        if status != entry.status:
            DuplicateCandidate.objects.filter(pk=entry.pk).update(status=status)
            changed += 1
    return changed

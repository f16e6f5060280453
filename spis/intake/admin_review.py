"""The duplicate review queue in the Django admin: judge pairs same / different / unsure, and undo judgements.

Every action calls spis.registry.merge, which records who and when, applies the verdict to whole clusters and
appends to the audit log. Staff see only pairs whose two records the visibility policy lets them see.
"""

from django.contrib import admin, messages
from django.db.models import Case, Value, When
from django.utils.html import format_html, format_html_join

from spis.access import policy
from spis.access.queries import as_seen
from spis.registry import merge
from spis.registry.admin_base import ReadOnlyMixin
from spis.registry.models import DuplicateCandidate, Judgement, Name, Verdict

# `spis dedupe` scores names of every level; a stored name the reader may not see is shown as this.
HIDDEN_NAME = "(a name you may not see)"


def _visible(request, qs):
    allowed = policy.persons(request.user, include_merged=True).values("pk")
    return qs.filter(left__in=allowed, right__in=allowed)


def _as_seen(user, candidates):
    """`candidates` (loaded for display, never saved) as `user` may see them: the best-matching names, and the
    explanation that quotes them, only when the user may see those names; each side's names (`seen_names`)
    and derived status as the user may see them."""
    sides = [p for c in candidates for p in (c.left, c.right)]  # one person may stand in several pairs
    as_seen(user, sides)
    names: dict[int, list[str]] = {p.pk: [] for p in sides}
    for person_id, text in (
        policy.names(user, Name.objects.filter(person_id__in=list(names)))
        .order_by("id")
        .values_list("person_id", "text")
    ):
        names[person_id].append(text)
    for candidate in candidates:
        for side in ("left", "right"):
            person = getattr(candidate, side)
            person.seen_names = names[person.pk]
            if getattr(candidate, f"{side}_name") not in person.seen_names:
                setattr(candidate, f"{side}_name", HIDDEN_NAME)
                candidate.explanation = "(withheld: it quotes a name you may not see)"
    return candidates


def _judge(modeladmin, request, queryset, verdict):
    done, failed = 0, 0
    for candidate in queryset.select_related("left", "right"):
        if candidate.status not in (DuplicateCandidate.Status.OPEN, DuplicateCandidate.Status.UNSURE):
            failed += 1
            modeladmin.message_user(
                request, f"{candidate}: already {candidate.status}; undo that first", messages.WARNING
            )
            continue
        try:
            merge.judge(request.user, candidate.left, candidate.right, verdict, candidate=candidate)
            done += 1
        except merge.MergeError as exc:
            failed += 1
            modeladmin.message_user(request, str(exc), messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} pair(s) judged {verdict}.", messages.SUCCESS)


def _undo(modeladmin, request, judgements):
    undone = 0
    for judgement in judgements:
        try:
            merge.undo(request.user, judgement)
            undone += 1
        except merge.MergeError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
    modeladmin.message_user(request, f"{undone} judgement(s) undone.", messages.SUCCESS)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pair", "score", "status", "explanation", "found_at"]
    list_filter = ["status"]
    # Not the stored names: a search by a hidden alias would confirm it (each record's shown name instead).
    search_fields = ["left__public_id", "right__public_id", "left__display_name", "right__display_name"]
    readonly_fields = [
        "left",
        "right",
        "left_name",
        "right_name",
        "score",
        "explanation",
        "status",
        "found_at",
        "compare",
    ]
    fields = readonly_fields
    actions = ["judge_same", "judge_different", "judge_unsure", "undo_judgement"]
    list_select_related = ["left", "right"]
    list_per_page = 50

    def get_queryset(self, request):
        # The queue: open pairs first, strongest first.
        qs = _visible(request, super().get_queryset(request))
        waiting = Case(When(status=DuplicateCandidate.Status.OPEN, then=Value(0)), default=Value(1))
        return qs.order_by(waiting, "-score", "id")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.result_list = _as_seen(request.user, list(changelist.result_list))
        return changelist

    def get_object(self, request, object_id, from_field=None):
        candidate = super().get_object(request, object_id, from_field)
        return None if candidate is None else _as_seen(request.user, [candidate])[0]

    @admin.display(description="pair")
    def pair(self, obj):
        return format_html(
            "{} {}<br>{} {}", obj.left.public_id, obj.left_name, obj.right.public_id, obj.right_name
        )

    @admin.display(description="records side by side")
    def compare(self, obj):
        # Names and status as get_object's _as_seen left them: those the reader may see.
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (p.public_id, ", ".join(p.seen_names), p.birth_date_display, p.get_status_display(), p.region)
                for p in (obj.left, obj.right)
            ),
        )
        return format_html(
            "<table><tr><th>id</th><th>names</th><th>born</th><th>status</th><th>region</th></tr>{}</table>",
            rows,
        )

    def has_view_permission(self, request, obj=None):
        # Resolving duplicates is documenters' work: editors and admins (DESIGN.md, "Who uses it").
        # Changes happen only through the judgement actions, never by editing a row (ReadOnlyMixin).
        return policy.may_write(request.user)

    @admin.action(description="Same person: merge the two records")
    def judge_same(self, request, queryset):
        _judge(self, request, queryset, Verdict.SAME)

    @admin.action(description="Different people: stop asking about these clusters")
    def judge_different(self, request, queryset):
        _judge(self, request, queryset, Verdict.DIFFERENT)

    @admin.action(description="Unsure: keep for later")
    def judge_unsure(self, request, queryset):
        _judge(self, request, queryset, Verdict.UNSURE)

    @admin.action(description="Undo the judgement on these pairs (unmerges a merge)")
    def undo_judgement(self, request, queryset):
        _undo(self, request, (j for c in queryset for j in c.judgements.filter(undone_at=None)))


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["left", "verdict", "right", "actor", "at", "linked", "undone_at", "undone_by"]
    list_filter = ["verdict", ("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["left__public_id", "right__public_id", "actor", "note"]
    list_select_related = ["left", "right", "linked"]
    actions = ["undo"]

    def has_view_permission(self, request, obj=None):
        return policy.may_write(request.user)

    def get_queryset(self, request):
        return _visible(request, super().get_queryset(request))

    @admin.action(description="Undo these judgements (unmerges merges they made)")
    def undo(self, request, queryset):
        _undo(self, request, queryset.filter(undone_at=None))

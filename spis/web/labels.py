"""Translatable labels for the stored choice values the site shows.

The registry's model choices carry English labels (they document the admin and the API); the public site
shows the same values in the visitor's language, so the labels it prints live here, under gettext.
"""

from django.utils.translation import gettext_lazy as _

STATUS = {
    "in_custody": _("in custody"),
    "released": _("released"),
    "died": _("died"),
    "at_liberty": _("not held"),
}

EVENT = {
    "detained": _("detained"),
    "charged": _("charged"),
    "convicted": _("convicted"),
    "sentenced": _("sentenced"),
    "transferred": _("transferred"),
    "recognized": _("recognised as a political prisoner"),
    "recognition_withdrawn": _("recognition withdrawn"),
    "released": _("released"),
    "died": _("died"),
    "emigrated": _("left the country"),
}

RELEASE = {
    "end_of_term": _("end of term"),
    "pardon": _("pardon"),
    "amnesty": _("amnesty"),
    "expelled": _("released and forcibly expelled"),
    "exchanged": _("exchanged"),
    "house_arrest": _("moved to house arrest"),
    "other": _("other release"),
}

REGIME = {
    "general": _("general regime colony"),
    "strengthened": _("strengthened regime colony"),
    "strict": _("strict regime colony"),
    "special": _("special regime colony"),
    "prison": _("prison"),
    "open": _("restricted freedom in an open facility (khimiya)"),
    "home": _("restricted freedom at home"),
    "fine": _("fine"),
    "other": _("other penalty"),
}

GENDER = {"m": _("male"), "f": _("female"), "x": _("other or not stated")}

FACILITY_KIND = {
    "sizo": _("pre-trial detention centre (SIZO)"),
    "ivs": _("temporary detention (IVS/TDF)"),
    "colony": _("penal colony"),
    "prison": _("prison"),
    "open": _("open-type correctional facility (khimiya)"),
    "medical": _("medical facility"),
    "other": _("other"),
}

SCRIPT = {"Cyrl": _("Cyrillic"), "Latn": _("Latin"), "Zyyy": _("other script")}

LANGUAGE = {"be": _("Belarusian"), "ru": _("Russian"), "en": _("English"), "pl": _("Polish")}

NAME_KIND = {
    "primary": _("primary"),
    "transliteration": _("transliteration"),
    "alias": _("other spelling"),
    "former": _("former name"),
    "patronymic": _("form with patronymic"),
}

# Sentence-length bands for the list filter, in months [low, high); as OVD-Info and Viasna group terms.
SENTENCE_BANDS = {
    "lt1": (_("under 1 year"), 0, 12),
    "1-3": (_("1 to 3 years"), 12, 36),
    "3-5": (_("3 to 5 years"), 36, 60),
    "5-10": (_("5 to 10 years"), 60, 120),
    "10+": (_("10 years or more"), 120, None),
}

SORTS = {
    # The stored sort key (spis.names.collate): alphabet order for Belarusian and Russian, not code points.
    "name": (_("name"), ["sort_name", "pk"]),
    "-detained": (_("most recently detained"), ["-detained_on", "pk"]),
    "detained": (_("longest held"), ["detained_on", "pk"]),
    "-sentence": (_("longest sentence"), ["-sentence_months", "pk"]),
    "release": (_("expected release"), ["expected_release_on", "pk"]),
    "id": (_("public id"), ["public_id"]),
}

PAGE_SIZES = [10, 25, 50, 100]

# Regions as the registry stores them (the demo and Viasna-style lists in English); other spellings show as
# stored.
REGION = {
    "Minsk": _("Minsk"),
    "Minsk Region": _("Minsk Region"),
    "Brest Region": _("Brest Region"),
    "Vitebsk Region": _("Vitebsk Region"),
    "Gomel Region": _("Gomel Region"),
    "Grodno Region": _("Grodno Region"),
    "Mogilev Region": _("Mogilev Region"),
}

# An article of a code (registry Case.articles `code`), as a statistics row names it.
CODE_ARTICLE = {
    "CC-BY": _("CC-BY art. %(number)s"),
    "AC-BY": _("AC-BY art. %(number)s"),
}

# Row labels of spis.stats.breakdowns that are words rather than data (keys as that module defines them).
BREAKDOWN_ROW = {
    "unknown": _("unknown"),
    "under 1 year": _("under 1 year"),
    "1 to under 3 years": _("1 to under 3 years"),
    "3 to under 5 years": _("3 to under 5 years"),
    "5 to under 10 years": _("5 to under 10 years"),
    "10 years or more": _("10 years or more"),
    "not yet sentenced": _("not yet sentenced"),
    "under 25": _("under 25"),
    "65 and over": _("65 and over"),
}

"""Interface languages: gettext catalogues compiled by Babel under ``web/locale``. One Jinja2
environment per language, built once per app (nothing shared is changed per request)."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"


def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (a missing .mo is an error, not a silent English page)."""
    return gettext.translation("messages", localedir=str(LOCALE), languages=[lang])


def environment(lang: str) -> jinja2.Environment:
    """The report layer's environment, with the web templates first and ``lang``'s catalogue."""
    import jinja2

    from twentyten.report.page import environment as report_environment

    env = report_environment()
    env.loader = jinja2.ChoiceLoader([jinja2.PackageLoader("twentyten.web", "templates"), env.loader])
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.globals["languages"] = LANGUAGES
    return env


def pick(cookie: str | None, accept: str | None) -> str:
    """The language from the cookie, else the browser's Accept-Language, else English."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT

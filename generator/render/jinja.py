"""The Jinja2 immutable sandbox templates render in: limits on time, output size and
format widths; the template a file came from, for located errors."""

from __future__ import annotations

import contextlib
import re
import shlex
import signal
import threading
import traceback
import types
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import InputError, Location

# RenderedFile and the bundled templates' folder live with the writer, which needs them
# without loading Jinja2 (an unchanged rebuild stops before rendering).
from ..output import BUNDLED_TEMPLATES

if TYPE_CHECKING:
    pass

from .escape import cron_command, one_line, systemd_command, systemd_value

__all__ = [
    "TEMPLATE_BYTES",
    "TEMPLATE_SECONDS",
    "Sandbox",
    "TemplateLimit",
    "final_newline",
    "make_jinja",
    "render_template",
    "template_input",
]

# --- the Jinja environment ---------------------------------------------------------------


# Limits of one template rendering: a user's template can loop, recurse or multiply text,
# and must neither hang a build nor fill a disk.
TEMPLATE_SECONDS = 60.0
TEMPLATE_BYTES = 64 * 1024 * 1024
_MAX_EXPONENT = 1000
_WIDE_FORMAT = re.compile(r"%[-#0 +]*\d{7,}|\{[^{}]*:[^{}]*\d{7,}[^{}]*\}")


_METHODS = (types.MethodType, types.BuiltinMethodType)


class TemplateLimit(jinja2.exceptions.SecurityError):
    """A template went past a time or size limit."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no template can change a list or mapping it is given, so no
    template changes what another output is made from), with size limits on ``*``, ``**``
    and format widths, whose results would be built in one step, before any limit could act.
    """

    intercepted_binops = frozenset(["*", "**", "%"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Jinja's answer depends only on the object's type and the attribute's name (the
        # private and internal names of functions, frames, generators..., and the methods
        # that change a list, dict, set or deque): asked once per pair, not once per access.
        self._safe_attributes: dict[tuple[type, str], bool] = {}
        # The folder/template name each template is recorded under, looked up once.
        self.template_inputs: dict[str, str] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's immutable sandbox's answer, remembered per (type, attribute name)."""
        kind = type(obj)
        if obj.__class__ is not kind:  # an object that names another class: ask every time
            return bool(super().is_safe_attribute(obj, attr, value))
        key = (kind, attr)
        known = self._safe_attributes.get(key)
        if known is None:
            known = self._safe_attributes[key] = bool(super().is_safe_attribute(obj, attr, value))
        return known

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse a ``*`` or ``**`` whose result would be huge, then compute it."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, (str, list, tuple)) and isinstance(count, int)
                if sized and len(seq) * count > TEMPLATE_BYTES:
                    raise TemplateLimit(f"a repetition of {len(seq) * count:,} items")
        if operator == "**" and isinstance(right, int) and abs(right) > _MAX_EXPONENT:
            raise TemplateLimit(f"an exponent of {right:,}")
        if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise TemplateLimit("a format width of a million characters or more")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` with the same width limit as ``%``."""
        if not isinstance(value, _METHODS):  # most attributes are data: nothing to wrap
            return None
        wrapped = super().wrap_str_format(value)
        if wrapped is None or not _WIDE_FORMAT.search(str(value.__self__)):
            return wrapped

        def refuse(*_args: Any, **_kwargs: Any) -> str:
            raise TemplateLimit("a format width of a million characters or more")

        return refuse


class _TemplateFolders(jinja2.FileSystemLoader):
    """Jinja's loader over folders, which compiles a template's text once per process.

    Compiling is most of a small build's time, and every build makes a new environment.
    Every environment with this loader comes from :func:`make_jinja`, with the same options,
    so the code compiled for one is the code another would compile from the same name,
    file and text with the same filters. The code is kept in memory only (never a bytecode
    cache on disk, whose files could be planted), and a changed text is compiled anew.
    """

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """The template ``name``, as Jinja's own ``load`` makes it, with its code reused."""
        source, filename, uptodate = self.get_source(environment, name)
        # The code calls the filters the environment has when compiling (a missing one is a
        # compile error): pages add theirs to an environment while it renders.
        key = (name, filename, source, frozenset(environment.filters))
        code = _COMPILED.get(key)
        if code is None:
            code = _COMPILED[key] = environment.compile(source, name, filename)
        namespace = {} if globals is None else globals
        return environment.template_class.from_code(environment, code, namespace, uptodate)


_COMPILED: dict[tuple[str, str | None, str, frozenset[str]], types.CodeType] = {}


def make_jinja(templates: Path | None = None) -> Sandbox:
    """A sandboxed Jinja environment over ``templates`` (falling back to the bundled ones).

    Args:
        templates: a folder of the user's own templates; missing names come from the bundled set.

    Raises:
        InputError: when ``templates`` is given but is not a folder.
    """
    folders = []
    if templates is not None:
        if not templates.is_dir():
            raise InputError(f"{templates}: templates folder not found")
        folders.append(str(templates))
    if BUNDLED_TEMPLATES.is_dir() and (
        templates is None or templates.resolve() != BUNDLED_TEMPLATES
    ):
        folders.append(str(BUNDLED_TEMPLATES))
    env = Sandbox(
        loader=_TemplateFolders(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        one_line=one_line,
        cron_command=cron_command,
        systemd_value=systemd_value,
        systemd_command=systemd_command,
        shell_quote=shlex.quote,
    )
    return env


def template_input(env: jinja2.Environment, name: str) -> str:
    """How a template appears among a file's inputs: ``<folder name>/<template>``."""
    known = env.template_inputs if isinstance(env, Sandbox) else {}
    found = known.get(name)
    if found is None:
        assert env.loader is not None
        _source, filename, _uptodate = env.loader.get_source(env, name)
        # The folder the name is looked up in, then the name: templates/site/page.html.j2.
        folder = Path(filename or name).parents[name.count("/")]
        found = known[name] = f"{folder.name}/{name}"
    return found


def render_template(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template within :data:`TEMPLATE_SECONDS` and :data:`TEMPLATE_BYTES`.

    Raises:
        InputError: when the template is missing, malformed, fails while rendering, or goes
            past a limit; the message names the template file and line at fault.
    """
    try:
        template = env.get_template(name)
        with _time_limit(TEMPLATE_SECONDS):
            size = 0
            parts: list[str] = []
            for part in template.generate(**context):
                size += len(part)
                if size > TEMPLATE_BYTES:
                    raise TemplateLimit(f"output over {TEMPLATE_BYTES:,} characters")
                parts.append(part)
            return "".join(parts)
    except jinja2.TemplateSyntaxError as err:
        raise InputError(
            f"template syntax: {err.message}",
            location=Location.of(err.filename or name, err.lineno or 0),
        ) from err
    except jinja2.TemplateNotFound as err:
        where = _template_frame(env, err)
        raise InputError(
            f"template {err.name!r} not found",
            location=where,
            hint="templates are looked up by name in the templates folders only",
        ) from err
    except InputError:
        raise
    except Exception as err:  # a user's template can raise anything
        where = _template_frame(env, err) or Location.of(name)
        kind = "" if isinstance(err, jinja2.TemplateError) else f"{type(err).__name__}: "
        raise InputError(f"template error: {kind}{err}", location=where) from err


def _template_frame(env: jinja2.Environment, err: BaseException) -> Location | None:
    """The template file and line where ``err`` was raised (Jinja maps frames to templates)."""
    folders = [str(Path(f).resolve()) for f in getattr(env.loader, "searchpath", ())]
    found = None
    for frame in traceback.extract_tb(err.__traceback__):
        filename = str(Path(frame.filename).resolve()) if frame.filename else ""
        if any(filename.startswith(folder + "/") for folder in folders):
            found = Location.of(frame.filename, frame.lineno or 0)
    return found


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TemplateLimit` in the rendering when it runs past ``seconds`` (a timer
    signal; only the main thread can receive one, so elsewhere there is no time limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise TemplateLimit(f"rendering took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def final_newline(text: str) -> bytes:
    # cron ignores a last line without a newline; every text output ends with exactly one.
    return (text.rstrip("\n") + "\n").encode("utf-8")

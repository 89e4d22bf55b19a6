"""The ``Plural-Forms`` header as GNU msgfmt checks it (``msgfmt --check-header``).

msgfmt parses ``nplurals=N; plural=EXPR;`` with the C-like grammar of gettext's
``plural.y``, evaluates the expression for n = 0..1000 and refuses a division by zero or a
value past the last form. The language's own count is not compared: CLDR (Babel) and
gettext's conventions disagree (Italian has 3 forms in CLDR 42, 2 in every gettext tool).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["plural_forms_problem"]

_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[<>+\-*/%!?:()]))")
_MAX_TOKENS = 200
_MAX_NESTING = 16
_MASK = (1 << 64) - 1  # gettext computes in unsigned long

_Eval = Callable[[int], int]


class _Refused(ValueError):
    pass


def plural_forms_problem(header: str) -> str | None:
    """What msgfmt --check has against a header's plural forms; None when fine.

    As msgfmt does, ``nplurals=`` and ``plural=`` are looked for anywhere in the header (a
    header with neither has nothing to check), the count is read as C's ``strtoul`` reads
    it and the expression runs to the next ``;``.

    Args:
        header: the header entry's msgstr, unescaped.
    """
    plural_at = header.find("plural=")
    count_at = header.find("nplurals=")
    if plural_at < 0 or count_at < 0:
        return None
    digits = re.match(r"\s*(\d*)", header[count_at + 9 :])
    if digits is None or not digits[1]:
        return "invalid nplurals value"
    count = _unsigned(digits[1])
    expression = header[plural_at + 7 :].split(";", 1)[0]
    try:
        evaluate = _Parser(expression).parse()
        largest = 0
        for n in range(1001):
            largest = max(largest, evaluate(n))
    except _Refused as err:
        return f"invalid plural expression: {err}"
    if largest >= count:
        return (
            f"nplurals = {count} but the plural expression can produce values as large as {largest}"
        )
    return None


class _Parser:
    """gettext's plural grammar by precedence climbing, over at most 200 tokens."""

    # Binary operators by precedence level, loosest first (C's, as in plural.y).
    _LEVELS: tuple[tuple[str, ...], ...] = (
        ("||",),
        ("&&",),
        ("==", "!="),
        ("<", ">", "<=", ">="),
        ("+", "-"),
        ("*", "/", "%"),
    )

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            found = _TOKEN.match(text, position)
            if found is None or found.end() == position:
                raise _Refused(f"unexpected {text[position:].strip()[:10]!r}")
            self.tokens.append(found.group().strip())
            position = found.end()
            if len(self.tokens) > _MAX_TOKENS:
                raise _Refused(f"longer than {_MAX_TOKENS} tokens")
        self.at = 0
        self.depth = 0

    def parse(self) -> _Eval:
        if not self.tokens:
            raise _Refused("empty")
        result = self._conditional()
        if self.at != len(self.tokens):
            raise _Refused(f"unexpected {self.tokens[self.at]!r}")
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, token: str) -> None:
        if self._peek() != token:
            raise _Refused(f"expected {token!r}")
        self.at += 1

    def _conditional(self) -> _Eval:
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise _Refused(f"nested more than {_MAX_NESTING} deep")
        test = self._binary(0)
        if self._peek() == "?":
            self.at += 1
            yes = self._conditional()
            self._take(":")
            no = self._conditional()
            self.depth -= 1
            return lambda n: yes(n) if test(n) else no(n)
        self.depth -= 1
        return test

    def _binary(self, level: int) -> _Eval:
        if level == len(self._LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while (op := self._peek()) in self._LEVELS[level]:
            self.at += 1
            left = _apply(op or "", left, self._binary(level + 1))
        return left

    def _unary(self) -> _Eval:
        token = self._peek()
        self.at += 1
        if token == "!":
            inner = self._unary()
            return lambda n: int(not inner(n))
        if token == "n":
            return lambda n: n
        if token == "(":
            inner = self._conditional()
            self._take(")")
            return inner
        if token is not None and token.isdigit():
            value = _unsigned(token)
            return lambda n: value
        raise _Refused("unexpected end" if token is None else f"unexpected {token!r}")


def _unsigned(digits: str) -> int:
    """Decimal ``digits`` as C's ``strtoul`` reads them: past the largest value, the largest
    (and no int() of thousands of digits, which Python refuses)."""
    return int(digits) if len(digits) <= 19 else _MASK


def _apply(op: str, left: _Eval, right: _Eval) -> _Eval:
    def divide(a: int, b: int) -> int:
        if b == 0:
            raise _Refused("division by zero")
        return a // b if op == "/" else a % b

    operations: dict[str, Callable[[int, int], int]] = {
        "||": lambda a, b: int(bool(a) or bool(b)),
        "&&": lambda a, b: int(bool(a) and bool(b)),
        "==": lambda a, b: int(a == b),
        "!=": lambda a, b: int(a != b),
        "<": lambda a, b: int(a < b),
        ">": lambda a, b: int(a > b),
        "<=": lambda a, b: int(a <= b),
        ">=": lambda a, b: int(a >= b),
        "+": lambda a, b: (a + b) & _MASK,
        "-": lambda a, b: (a - b) & _MASK,
        "*": lambda a, b: (a * b) & _MASK,
        "/": divide,
        "%": divide,
    }
    function = operations[op]
    return lambda n: function(left(n), right(n))

"""Shell completion of the project's names: environments, locales and workflow ids.

bash runs the script `wfgen completion bash` prints, as a user's shell would; zsh and fish
(not installed here) are driven through the same protocol click gives their scripts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.init import init_project

WFGEN = Path(sys.executable).parent / "wfgen"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`wfgen init`'s project with a second environment and a Swedish PO file."""
    root = tmp_path_factory.mktemp("completion") / "p"
    init_project(root)
    environments = root / "catalog" / "environments"
    shutil.copy(environments / "prod.yaml", environments / "staging.yaml")
    (root / "locales" / "sv" / "LC_MESSAGES").mkdir(parents=True)
    return root


def _bash(project: Path, words: list[str]) -> list[str]:
    """COMPREPLY after <TAB> at the end of ``words`` in a bash with wfgen's script loaded."""
    script = subprocess.run(
        [str(WFGEN), "completion", "bash"], capture_output=True, text=True, check=True, cwd=project
    ).stdout
    line = " ".join(f"'{w}'" for w in words)
    program = (
        f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
        '_wfgen_completion wfgen\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{WFGEN.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        check=True,
        cwd=project / "catalog",
        env=env,
    )
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.skipif(not WFGEN.is_file() or shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_environments_locales_and_workflow_ids(project: Path) -> None:
    """`wfgen build --env <TAB>` offers the project's environments, from any of its folders;
    `--locale` its PO locales and English; `schedule explain` its workflow ids."""
    assert _bash(project, ["wfgen", "build", "--env", ""]) == ["prod", "staging"]
    assert _bash(project, ["wfgen", "drift", "--env", "st"]) == ["staging"]
    assert _bash(project, ["wfgen", "build", "--locale", ""]) == ["en", "sv"]
    assert _bash(project, ["wfgen", "schedule", "explain", ""]) == ["cleanup", "tracking"]
    assert "sv_FI" in _bash(project, ["wfgen", "l10n", "init", "sv"])


@pytest.mark.parametrize(
    ("shell", "expected"),
    [("zsh", "plain\nprod\n_\nplain\nstaging\n_\n"), ("fish", "plain,prod\nplain,staging\n")],
)
def test_zsh_and_fish_get_the_same_names(project: Path, shell: str, expected: str) -> None:
    """The zsh and fish scripts ask click the same way; the answers name the environments."""
    env = {
        **os.environ,
        "_WFGEN_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": "wfgen build --env ",
        "COMP_CWORD": "3" if shell == "zsh" else "",
    }
    script = subprocess.run(
        [str(WFGEN), "completion", shell], capture_output=True, text=True, check=True
    ).stdout
    assert f"_WFGEN_COMPLETE={shell}_complete" in script.replace('"', "")
    done = subprocess.run(
        [str(WFGEN)], check=False, capture_output=True, text=True, cwd=project, env=env
    )
    assert done.stdout == expected


def test_outside_a_project_nothing_is_offered(tmp_path: Path) -> None:
    """Without a project (and no catalog/ here) completion offers nothing and fails nothing."""
    env = {
        **os.environ,
        "_WFGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": "wfgen build --env ",
        "COMP_CWORD": "3",
    }
    done = subprocess.run(
        [str(WFGEN)], check=False, capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert done.returncode == 0 and done.stdout.strip() == "" and done.stderr == ""

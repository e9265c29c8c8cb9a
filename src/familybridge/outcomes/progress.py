"""A progress bar for long CLI work, shown only when the output is a terminal."""

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class TerminalProgress:
    """One bar per phase (checking or writing a file); a no-op when not on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.progress = (
            Progress(
                TextColumn("{task.description:<32}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            if enabled
            else None
        )
        self.task = None

    def __enter__(self) -> "TerminalProgress":
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()

    def start(self, label: str, total: int) -> None:
        if self.progress:
            if self.task is not None:
                self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
            self.task = self.progress.add_task(label, total=total)

    def advance(self, count: int) -> None:
        if self.progress and self.task is not None:
            self.progress.advance(self.task, count)

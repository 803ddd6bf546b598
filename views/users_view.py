"""Users: the administrators' screen for console accounts (list, create, role and level, password, disable).

Only administrators get this screen (``views/factories.py``), and the service checks again on every
action from the database (``cockpit/users.py``): the screen only mirrors the rights. Every call runs
off the GUI thread (password hashing is scrypt, deliberately slow); refusals come back as codes and are
said here in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cockpit.sessions import LoginSession
from cockpit.users import PASSWORD_MIN, Problem, UserAdmin, UserAdminError, UserRecord
from models.records import ApprovalLevel, Role
from views.i18n import level_text, role_text
from views.offgui import OffGui
from views.permit_tables import cell, fill_done, key_of, make_table
from views.session_words import coded_refusal
from views.view_model import Retranslated
from widgets.form_labels import set_form_labels
from widgets.theme import QT_TRANSLATE_NOOP

_CTX = "UsersView"
PROBLEM_TEXTS: dict[str, str] = {
    Problem.NOT_ADMIN: QT_TRANSLATE_NOOP("UsersView", "{actor} is not an active administrator"),
    Problem.WRONG_LOGIN: QT_TRANSLATE_NOOP("UsersView", "Unknown user or wrong password"),
    Problem.USERS_EXIST: QT_TRANSLATE_NOOP("UsersView", "The database already has users"),
    Problem.PASSWORD_SHORT: QT_TRANSLATE_NOOP(
        "UsersView", "The password is too short: at least {min} characters"
    ),
    Problem.PASSWORD_LONG: QT_TRANSLATE_NOOP(
        "UsersView", "The password is too long: at most {max} characters"
    ),
    Problem.PASSWORD_IS_NAME: QT_TRANSLATE_NOOP("UsersView", "The password must not be the user name"),
    Problem.BAD_USERNAME: QT_TRANSLATE_NOOP(
        "UsersView", "User name {username!r} not allowed: letters, digits, '.', '_', '-', at most {max}"
    ),
    Problem.BAD_DISPLAY_NAME: QT_TRANSLATE_NOOP(
        "UsersView", "The name is too long: at most {max} characters"
    ),
    Problem.USERNAME_TAKEN: QT_TRANSLATE_NOOP("UsersView", "The user {username} exists already"),
    Problem.UNKNOWN_USER: QT_TRANSLATE_NOOP("UsersView", "There is no user {username}"),
    Problem.UNKNOWN_WORKER: QT_TRANSLATE_NOOP("UsersView", "There is no worker {worker} in the register"),
    Problem.WORKER_TAKEN: QT_TRANSLATE_NOOP("UsersView", "The worker {worker} is bound to the user {other}"),
    Problem.LEVEL_NOT_FOR_ROLE: QT_TRANSLATE_NOOP(
        "UsersView", "This role does not sign permits: no approval level"
    ),
    Problem.LAST_ADMIN: QT_TRANSLATE_NOOP("UsersView", "{username} is the last active administrator"),
    Problem.OWN_ACCOUNT: QT_TRANSLATE_NOOP("UsersView", "You cannot disable or demote your own account"),
}


def problem_text(exc: Exception) -> str:
    """A refusal in the user's language; an unexpected error as its one line."""
    return coded_refusal(exc, UserAdminError, PROBLEM_TEXTS, _CTX)


class UsersView(Retranslated):
    users_shown = Signal(int)
    action_done = Signal(str)  # the action's name
    action_failed = Signal(str)  # the message shown

    def __init__(self, admin: UserAdmin, *, acting: LoginSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._admin = admin
        self._acting = acting
        self._offgui = OffGui(self, name="users")
        self._users: list[UserRecord] = []

        self.table = make_table([""] * 6)
        self.table.itemSelectionChanged.connect(self._selected)
        # The worker column takes the rest: the table is filled while its tab may still be hidden.
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.level = QComboBox()
        self.worker = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, slot in (
            ("create", self.create_user),
            ("role", self.save_role),
            ("worker", self.bind_worker),
            ("password", self.reset_password),
            ("disable", self.disable_user),
            ("enable", self.enable_user),
        ):
            button = QPushButton()
            button.clicked.connect(slot)
            self.buttons[key] = button

        self.form_box = QGroupBox()
        self.form = QFormLayout(self.form_box)
        for widget in (
            self.username,
            self.display_name,
            self.role,
            self.level,
            self.worker,
            self.password,
            self.password_again,
        ):
            self.form.addRow(QLabel(), widget)
        grid = QGridLayout()
        for i, key in enumerate(self.buttons):
            grid.addWidget(self.buttons[key], i // 2, i % 2)
        self.form.addRow(grid)
        self.form.addRow(self.message)
        side = QVBoxLayout()
        side.addWidget(self.form_box)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(side, 2)
        self._set_texts()
        self.refresh()

    # ------------------------------------------------------------ texts

    def _set_texts(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User"),
                self.tr("Name"),
                self.tr("Role"),
                self.tr("Approval level"),
                self.tr("State"),
                self.tr("Worker"),
            ]
        )
        self.form_box.setTitle(self.tr("Account"))
        labels = (
            self.tr("User name"),
            self.tr("Name"),
            self.tr("Role"),
            self.tr("Approval level"),
            self.tr("Worker ID"),
            self.tr("New password"),
            self.tr("Password again"),
        )
        set_form_labels(self.form, labels)
        self.password.setPlaceholderText(self.tr("at least %1 characters").replace("%1", str(PASSWORD_MIN)))
        self.worker.setPlaceholderText(self.tr("empty: not bound"))
        texts = {
            "create": self.tr("Create user"),
            "role": self.tr("Save role and level"),
            "worker": self.tr("Bind worker"),
            "password": self.tr("Reset password"),
            "disable": self.tr("Disable account"),
            "enable": self.tr("Enable account"),
        }
        for key, text in texts.items():
            self.buttons[key].setText(text)
        self._fill_combos()

    def _fill_combos(self) -> None:
        role, level = self.role.currentData(), self.level.currentData()
        self.role.clear()
        for r in Role:
            self.role.addItem(role_text(r.value), r.value)
        self.level.clear()
        self.level.addItem(self.tr("none (does not sign)"), "")
        for lv in ApprovalLevel:
            self.level.addItem(level_text(lv.value), lv.value)
        self._select(self.role, role or Role.OPERATOR.value)
        self._select(self.level, level or "")

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def retranslate(self) -> None:
        self._set_texts()
        self._show(self._users)

    # ------------------------------------------------------------ list

    def refresh(self) -> None:
        self._run(lambda: self._admin.users(self._acting), self._show)

    def _show(self, users: list[UserRecord]) -> None:
        self._users = users
        selected = self.selected_username()
        self.table.blockSignals(True)
        self.table.setRowCount(len(users))
        for row, u in enumerate(users):
            worker = f"{u.worker_id} {u.worker_name or ''}".strip() if u.worker_id else ""
            state = self.tr("enabled") if u.active else self.tr("DISABLED")
            level = level_text(u.approval_level.value) if u.approval_level else ""
            texts = (u.display_name, role_text(u.role.value), level, state, worker)
            self.table.setItem(row, 0, cell(u.username, u.username))
            for col, text in enumerate(texts, start=1):
                self.table.setItem(row, col, cell(text))
            if u.username == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        fill_done(self.table)
        self.users_shown.emit(len(users))

    def usernames(self) -> list[str]:
        return [u.username for u in self._users]

    def selected_username(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return key_of(self.table, rows[0].row(), 0) if rows else None

    def _selected(self) -> None:
        name = self.selected_username()
        user = next((u for u in self._users if u.username == name), None)
        if user is None:
            return
        self.username.setText(user.username)
        self.display_name.setText(user.display_name)
        self._select(self.role, user.role.value)
        self._select(self.level, user.approval_level.value if user.approval_level else "")
        self.worker.setText(user.worker_id or "")
        self.password.clear()
        self.password_again.clear()

    # ------------------------------------------------------------ actions

    def _form_role(self) -> tuple[Role, ApprovalLevel | None]:
        level = self.level.currentData()
        return Role(self.role.currentData()), ApprovalLevel(level) if level else None

    def _new_password(self) -> str | None:
        if self.password.text() != self.password_again.text():
            self._fail(self.tr("The two passwords differ"))
            return None
        return self.password.text()

    def create_user(self) -> None:
        password = self._new_password()
        if password is None:
            return
        role, level = self._form_role()
        name, display, worker = self.username.text(), self.display_name.text(), self.worker.text().strip()
        self._act(
            "create",
            lambda: self._admin.create(
                self._acting,
                name,
                display_name=display,
                role=role,
                password=password,
                approval_level=level,
                worker_id=worker or None,
            ),
        )

    def save_role(self) -> None:
        role, level = self._form_role()
        name = self.username.text()
        self._act("role", lambda: self._admin.set_role(self._acting, name, role, level))

    def bind_worker(self) -> None:
        name, worker = self.username.text(), self.worker.text().strip()
        self._act("worker", lambda: self._admin.bind_worker(self._acting, name, worker or None))

    def reset_password(self) -> None:
        password = self._new_password()
        if password is None:
            return
        name = self.username.text()
        self._act("password", lambda: self._admin.reset_password(self._acting, name, password))

    def disable_user(self) -> None:
        name = self.username.text()
        self._act("disable", lambda: self._admin.disable(self._acting, name))

    def enable_user(self) -> None:
        name = self.username.text()
        self._act("enable", lambda: self._admin.enable(self._acting, name))

    def _act(self, action: str, fn: Callable[[], Any]) -> None:
        self.message.setText(self.tr("Working…"))

        def done(_: object) -> None:
            self.password.clear()
            self.password_again.clear()
            self.message.setText(self.tr("Done: %1").replace("%1", self.username.text().strip()))
            self.action_done.emit(action)
            self.refresh()

        self._run(fn, done)

    def _run(self, fn: Callable[[], Any], on_result: Callable[[Any], None]) -> None:
        self._offgui.run(fn, on_result, lambda exc: self._fail(problem_text(exc)))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.action_failed.emit(text)

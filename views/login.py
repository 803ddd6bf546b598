"""The login screen: a user and password give the console its role."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cockpit.logins import LoginRefused, Logins
from cockpit.sessions import LoginSession
from views.i18n import role_text


class LoginView(QWidget):
    logged_in = Signal(object)  # LoginSession

    def __init__(self, logins: Logins, *, demo: bool, plant_name: str = "") -> None:
        super().__init__()
        self.logins = logins
        self.demo = demo
        self.plant_name = plant_name
        self.setObjectName("loginView")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QVBoxLayout()
        row.addWidget(self._card(demo), 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(2)
        self._users = self.logins.users() if demo else []
        if demo:
            from widgets.badges import DemoMark

            self.demo_mark = DemoMark(self)  # every screen of the demo says so, the login first
        for u in self._users:
            self.user.addItem(u.username)
        self.user.setCurrentText("")
        self.retranslate()

    def _card(self, demo: bool) -> QFrame:
        """The centred card: title, user and password, the button, the message, the demo users."""
        card = QFrame()
        card.setObjectName("loginCard")
        card.setMinimumWidth(640)  # the demo users' table must show name and role without scrolling
        card.setMaximumWidth(900)
        layout = QVBoxLayout(card)
        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addLayout(self._credentials())
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.clicked.connect(self.try_login)
        layout.addWidget(self.button)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self._add_demo_users(layout, demo)
        return card

    def _credentials(self) -> QFormLayout:
        """The user (typed or picked) and the password; Return in the password logs in."""
        form = QFormLayout()
        self.user = QComboBox()
        self.user.setEditable(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.try_login)
        self.user_label, self.password_label = QLabel(), QLabel()
        form.addRow(self.user_label, self.user)
        form.addRow(self.password_label, self.password)
        return form

    def _add_demo_users(self, layout: QVBoxLayout, demo: bool) -> None:
        """The demo users as a table (filled in retranslate), shown in the demo only; a click picks one."""
        self.demo_hint = QLabel()
        self.demo_table = QTableWidget(0, 3)
        self.demo_table.verticalHeader().hide()
        self.demo_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.demo_table.cellClicked.connect(self._pick_demo_user)
        self.demo_table.setMinimumHeight(300)
        layout.addWidget(self.demo_hint)
        layout.addWidget(self.demo_table)
        self.demo_hint.setVisible(demo)
        self.demo_table.setVisible(demo)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(
            self.tr("High-risk operations cockpit") + (f"\n{self.plant_name}" if self.plant_name else "")
        )
        self.user_label.setText(self.tr("User"))
        self.password_label.setText(self.tr("Password"))
        self.button.setText(self.tr("Log in"))
        self.demo_hint.setText(self.tr("Demo users (password: demo). Click one to fill it in."))
        self.demo_table.setHorizontalHeaderLabels([self.tr("User"), self.tr("Name"), self.tr("Role")])
        self.demo_table.setRowCount(len(self._users))
        for i, u in enumerate(self._users):
            for j, text in enumerate((u.username, u.display_name, role_text(u.role.value))):
                self.demo_table.setItem(i, j, QTableWidgetItem(text))
        self.demo_table.resizeColumnsToContents()
        self.demo_table.horizontalHeader().setStretchLastSection(True)

    def _pick_demo_user(self, row: int, _col: int) -> None:
        self.user.setCurrentText(self._users[row].username)
        self.password.setText("demo")
        self.password.setFocus()

    def try_login(self) -> None:
        username, password = self.user.currentText(), self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Enter a user name and a password."))
            return
        try:
            actor: LoginSession = self.logins.authenticate(username, password)  # scrypt: ~50 ms
        except LoginRefused:
            self.message.setText(self.tr("Unknown user or wrong password."))
            self.password.clear()
            return
        self.password.clear()
        self.message.clear()
        self.logged_in.emit(actor)

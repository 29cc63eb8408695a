"""催报 by e-mail through a real SMTP conversation (issue 15, item 6).

A small SMTP server in this process (the protocol's five commands, RFC 5321) stands in for the
national office's mail relay; `drs serve --demo` is started with `DRS_SMTP_URL` pointing at it, so the
reminder leaves through curl's SMTP client instead of the outbox. The test checks the envelope (sender,
recipient), that the Chinese subject is an RFC 2047 encoded-word, that the body (base64, UTF-8) names
the unit, the forms and the deadline, and that the audit line says `送达方式 smtp`.
"""

import email
import email.header
import socketserver
import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from test_office_tools import LAB_EMAIL, give_lab_an_email, owing_row
from ux_support import login, start_demo_server, stop_demo_server, waiting

SENDER = "drs@office.example"


class Relay(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Conversation)
        self.messages = []  # (mail from, [rcpt to], message bytes)


class Conversation(socketserver.StreamRequestHandler):
    """One SMTP session: EHLO/HELO, MAIL FROM, RCPT TO, DATA (dot-terminated, dot-unstuffed), QUIT."""

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 relay.test ESMTP")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 relay.test")
            elif command.upper().startswith("MAIL FROM:"):
                sender, recipients = command[10:].strip().strip("<>").split(">")[0], []
                self.reply("250 OK")
            elif command.upper().startswith("RCPT TO:"):
                recipients.append(command[8:].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    data = self.rfile.readline(65536)
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append((sender, recipients, b"".join(lines)))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


@pytest.fixture(scope="module")
def relay():
    server = Relay()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory, relay):
    port = relay.server_address[1]
    process, base, log_path, log = start_demo_server(
        tmp_path_factory.mktemp("drs-smtp"), {"DRS_SMTP_URL": f"smtp://127.0.0.1:{port}", "DRS_SMTP_FROM": SENDER})
    try:
        yield {"base": base, "log": log_path}
    finally:
        stop_demo_server(process, log)


def test_a_reminder_goes_out_through_smtp(smtp_server, relay, browser):
    base = smtp_server["base"]
    driver = browser
    give_lab_an_email(driver, base)
    login(driver, base, "admin")
    driver.find_element(By.ID, "nav-progress").click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "reminder-form")))
    owing_row(driver, "北京中关村实验室").find_element(By.CSS_SELECTOR, "input.owing-select").click()
    driver.find_element(By.ID, "send-reminders").click()
    waiting(driver).until(EC.element_to_be_clickable((By.ID, "confirm-reminders"))).click()
    waiting(driver).until(EC.presence_of_element_located((By.ID, "reminders-sent")))

    waiting(driver).until(lambda d: relay.messages)
    sender, recipients, raw = relay.messages[0]
    assert sender == SENDER
    assert recipients == [LAB_EMAIL]
    message = email.message_from_bytes(raw)
    assert message["Subject"].startswith("=?UTF-8?B?"), message["Subject"]
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject.startswith("【催报】") and "2027年3月10日" in subject, subject
    assert not message.is_multipart()
    body = message.get_payload(decode=True).decode("utf-8")  # Content-Transfer-Encoding: base64
    assert body.startswith("北京中关村实验室："), body[:200]
    assert "报送截止日期为2027年3月10日" in body, body[:500]
    assert "公共3表" in body, body[:500]

    # The audit line names the channel.
    driver.get(base + "/admin/audit?kind=reminderSent")
    rows = waiting(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tbody.audit-rows tr"))
    assert any("送达方式 smtp" in row.text for row in rows), [row.text for row in rows]

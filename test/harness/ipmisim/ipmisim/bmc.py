"""The simulated baseboard management controller: its chassis power, its users, and the IPMI commands
(chassis, user and device ones) that act on them. The session layer (rmcp.py) hands it decoded requests."""
import threading
from dataclasses import dataclass

# Privilege levels (IPMI 2.0, table 6-1) and the names ipmitool prints for them.
CALLBACK, USER, OPERATOR, ADMINISTRATOR, NO_ACCESS = 1, 2, 3, 4, 0x0F

# Completion codes (IPMI 2.0, table 5-2).
OK, INVALID_COMMAND, INVALID_DATA, INSUFFICIENT_PRIVILEGE, PASSWORD_TEST_FAILED = 0x00, 0xC1, 0xCC, 0xD4, 0x80

NETFN_CHASSIS, NETFN_APP = 0x00, 0x06


@dataclass
class User:
    name: str
    password: str
    privilege: int = ADMINISTRATOR
    enabled: bool = True


class Bmc:
    """One BMC. `powerstate` is 'on' or 'off'; `users` maps a user id (1..max_users) to its User.
    Tests may set `powerstate` and edit `users` directly while the server runs."""

    max_users = 10

    def __init__(self, powerstate='off', users=None):
        self.lock = threading.RLock()
        self.powerstate = powerstate
        # Slot 1 is the null (anonymous) user that real BMCs keep, disabled here.
        self.users = {1: User('', '', enabled=False)}
        for i, (name, password) in enumerate((users or {'admin': 'password'}).items(), start=2):
            self.users[i] = User(name, password)

    def find_user(self, name):
        with self.lock:
            for uid, user in self.users.items():
                if user.name == name and user.enabled:
                    return uid, user
        return None, None

    def password_of(self, name):
        _, user = self.find_user(name)
        return user.password if user else None

    def handle(self, netfn, cmd, data, privilege):
        """One IPMI request inside an active session at `privilege`; answers (completion code, data)."""
        handler = self._commands.get((netfn, cmd))
        if handler is None:
            return INVALID_COMMAND, b''
        needed, method = handler
        if privilege < needed:
            return INSUFFICIENT_PRIVILEGE, b''
        try:
            with self.lock:
                return method(self, bytes(data))
        except IndexError:  # a request too short for its command
            return 0xC7, b''

    # netfn chassis

    def _chassis_status(self, data):
        # current power state (bit 0 on), last power event, misc chassis state, front panel buttons
        return OK, bytes([1 if self.powerstate == 'on' else 0, 0, 0, 0])

    def _chassis_control(self, data):
        action = data[0] & 0x0F
        if action in (0, 5):      # power down, soft (ACPI) shutdown
            self.powerstate = 'off'
        elif action in (1, 2, 3):  # power up, power cycle, hard reset: the host ends up running
            self.powerstate = 'on'
        elif action != 4:          # 4 is a diagnostic interrupt: nothing to change
            return INVALID_DATA, b''
        return OK, b''

    # netfn app

    def _device_id(self, data):
        # device id, revision, firmware 1.0, IPMI version 2.0, additional device support
        # (chassis device), manufacturer 0 (none), product 0, auxiliary firmware revision
        return OK, bytes([0x20, 0x01, 0x01, 0x00, 0x02, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0])

    def _channel_info(self, data):
        # channel 1: 802.3 LAN medium, IPMB-1.0 protocol, multi-session, IPMI's own IANA number
        channel = data[0] & 0x0F
        if channel not in (0x01, 0x0E):
            return INVALID_DATA, b''
        return OK, bytes([0x01, 0x04, 0x01, 0x80, 0xF2, 0x1B, 0x00, 0x00, 0x00])

    def _user_access(self, data):
        uid = data[1] & 0x3F
        if not 1 <= uid <= self.max_users:
            return INVALID_DATA, b''
        user = self.users.get(uid)
        enabled = [u for u in self.users.values() if u.enabled and u.name]
        access = 0x30 | user.privilege if user and user.enabled and user.name else NO_ACCESS
        status = 0x40 if user and user.enabled else 0x80
        return OK, bytes([self.max_users, status | len(enabled), 0, access])

    def _user_name(self, data):
        uid = data[0] & 0x3F
        if not 1 <= uid <= self.max_users:
            return INVALID_DATA, b''
        user = self.users.get(uid)
        return OK, (user.name if user else '').encode()[:16].ljust(16, b'\0')

    def _user_password(self, data):
        uid, op = data[0] & 0x3F, data[1] & 0x03
        size = 20 if data[0] & 0x80 else 16
        if not 1 <= uid <= self.max_users:
            return INVALID_DATA, b''
        user = self.users.setdefault(uid, User('', '', enabled=False))
        if op == 0:
            user.enabled = False
        elif op == 1:
            user.enabled = True
        else:
            given = data[2:2 + size]
            if len(given) != size:
                return 0xC7, b''
            password = given.rstrip(b'\0').decode('latin-1')
            if op == 2:
                user.password = password
            elif password != user.password:
                return PASSWORD_TEST_FAILED, b''
        return OK, b''

    _commands = {
        (NETFN_CHASSIS, 0x01): (USER, _chassis_status),
        (NETFN_CHASSIS, 0x02): (OPERATOR, _chassis_control),
        (NETFN_APP, 0x01): (USER, _device_id),
        (NETFN_APP, 0x42): (USER, _channel_info),
        (NETFN_APP, 0x44): (OPERATOR, _user_access),
        (NETFN_APP, 0x46): (OPERATOR, _user_name),
        (NETFN_APP, 0x47): (ADMINISTRATOR, _user_password),
    }

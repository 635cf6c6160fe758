"""RMCP and the IPMI 2.0 RMCP+ session layer, BMC side (IPMI v2.0 spec, sections 13.5-13.32):
sessionless Get Channel Authentication Capabilities and Get Channel Cipher Suites, the Open Session /
RAKP 1-4 handshake, and then messages with HMAC integrity and AES-CBC-128 confidentiality."""
import hashlib
import hmac
import os
import struct
import threading
import time
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .bmc import ADMINISTRATOR, INVALID_COMMAND, OK, USER

RMCP_IPMI = b'\x06\x00\xff\x07'  # RMCP version 1.0, reserved, no-ack sequence, class IPMI
AUTH_NONE, AUTH_RMCPPLUS = 0x00, 0x06
PAYLOAD_IPMI, OPEN_REQ, OPEN_RSP, RAKP1, RAKP2, RAKP3, RAKP4 = 0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15
ENCRYPTED, AUTHENTICATED = 0x80, 0x40
BMC_ADDR = 0x20

# RMCP+ status codes (table 13-15).
ST_OK, ST_INVALID_SID, ST_INVALID_ROLE, ST_UNAUTHORIZED_NAME = 0x00, 0x02, 0x09, 0x0D
ST_INVALID_ICV, ST_BAD_AUTH_ALG, ST_BAD_INTEGRITY_ALG, ST_BAD_CONF_ALG = 0x0F, 0x01, 0x11, 0x12
ST_NO_RESOURCES = 0x01

SESSION_IDLE_SECONDS = 60
MAX_SESSIONS = 64


@dataclass(frozen=True)
class Suite:
    """A cipher suite (table 22-20): its algorithm numbers, hash, and how much of an HMAC is kept."""
    id: int
    auth: int
    integrity: int
    confidentiality: int
    hash: object
    icv_len: int  # RAKP 4 integrity check value and per-message AuthCode length


SUITES = (
    Suite(17, 0x03, 0x04, 0x01, hashlib.sha256, 16),  # RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128
    Suite(3, 0x01, 0x01, 0x01, hashlib.sha1, 12),     # RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128
)


def checksum(data):
    return (-sum(data)) & 0xFF


def ipmi_reply(msg, code, data):
    """The LAN-format response to the request `msg` (rsAddr, netFn/LUN, sum, rqAddr, rqSeq/LUN, cmd, ...)."""
    netfn, rs_lun = msg[1] >> 2, msg[1] & 3
    rq_addr, rq_seq, rq_lun, cmd = msg[3], msg[4] >> 2, msg[4] & 3, msg[5]
    head = bytes([rq_addr, ((netfn | 1) << 2) | rq_lun])
    body = bytes([msg[0], (rq_seq << 2) | rs_lun, cmd, code]) + bytes(data)
    return head + bytes([checksum(head)]) + body + bytes([checksum(body)])


def valid_ipmi_msg(msg):
    return len(msg) >= 7 and checksum(msg[:2]) == msg[2] and checksum(msg[3:]) == 0


@dataclass
class Session:
    managed_id: int
    console_id: int
    suite: Suite
    max_privilege: int
    created: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)
    # filled by RAKP 1 and 3
    role: int = 0
    username: bytes = b''
    rm: bytes = b''
    rc: bytes = b''
    kuid: bytes = b''
    sik: bytes = b''
    k1: bytes = b''
    k2: bytes = b''
    active: bool = False
    privilege: int = USER
    out_seq: int = 0

    def hmac(self, key, data):
        return hmac.new(key, data, self.suite.hash).digest()


class SessionLayer:
    """The BMC's LAN channel: turns one datagram into the datagrams it answers with."""

    def __init__(self, bmc, guid=None):
        self.bmc = bmc
        self.guid = guid or os.urandom(16)
        self.sessions = {}
        self.lock = threading.Lock()

    def datagram(self, data):
        if len(data) < 5 or data[:4] != RMCP_IPMI:
            return []
        if data[4] == AUTH_RMCPPLUS:
            return self._v2(data[4:])
        if data[4] == AUTH_NONE:
            return self._v15_sessionless(data[4:])
        return []  # IPMI 1.5 sessions (lan interface) are not offered

    # IPMI 1.5 framing, used by ipmitool only before a session, for Get Channel Auth Capabilities

    def _v15_sessionless(self, body):
        if len(body) < 10:
            return []
        seq, sid, length = struct.unpack_from('<IIB', body, 1)
        msg = body[10:10 + length]
        if sid != 0 or not valid_ipmi_msg(msg):
            return []
        reply = self._sessionless(msg)
        if reply is None:
            return []
        return [RMCP_IPMI + struct.pack('<BIIB', AUTH_NONE, 0, 0, len(reply)) + reply]

    def _sessionless(self, msg):
        netfn, cmd, data = msg[1] >> 2, msg[5], msg[6:-1]
        if netfn != 0x06:
            return None
        if cmd == 0x38 and len(data) >= 2:  # Get Channel Authentication Capabilities
            # channel 1; IPMI 2.0 extended data available; non-null user names, per-user auth;
            # channel supports IPMI 2.0 connections only; no OEM
            return ipmi_reply(msg, OK, bytes([0x01, 0x80, 0x04, 0x02, 0, 0, 0, 0]))
        if cmd == 0x54 and len(data) >= 3:  # Get Channel Cipher Suites
            records = b''.join(bytes([0xC0, s.id, s.auth, 0x40 | s.integrity, 0x80 | s.confidentiality]) for s in SUITES)
            index = data[2] & 0x3F
            return ipmi_reply(msg, OK, bytes([0x01]) + records[index * 16:(index + 1) * 16])
        return ipmi_reply(msg, INVALID_COMMAND, b'')

    # IPMI 2.0 framing

    def _v2(self, body):
        if len(body) < 12:
            return []
        ptype = body[1]
        kind = ptype & 0x3F
        sid, seq, length = struct.unpack_from('<IIH', body, 2)
        payload = body[12:12 + length]
        if len(payload) != length:
            return []
        if sid == 0:
            if ptype & (ENCRYPTED | AUTHENTICATED):
                return []
            if kind == PAYLOAD_IPMI:
                if not valid_ipmi_msg(payload):
                    return []
                reply = self._sessionless(payload)
                return [] if reply is None else [self._frame(None, PAYLOAD_IPMI, reply)]
            handler = {OPEN_REQ: self._open_session, RAKP1: self._rakp1, RAKP3: self._rakp3}.get(kind)
            return handler(payload) if handler else []
        with self.lock:
            session = self.sessions.get(sid)
        if session is None or not session.active or kind != PAYLOAD_IPMI:
            return []
        msg = self._unwrap(session, body, ptype, length)
        if msg is None or not valid_ipmi_msg(msg):
            return []
        session.last_seen = time.monotonic()
        return [self._frame(session, PAYLOAD_IPMI, self._in_session(session, msg))]

    def _unwrap(self, s, body, ptype, length):
        """Checks the AuthCode and decrypts the payload of an in-session packet; None if either fails."""
        # Both are mandatory for the suites offered: a packet without them is refused.
        if not (ptype & AUTHENTICATED and ptype & ENCRYPTED) or len(body) < 12 + length + 2 + s.suite.icv_len:
            return None
        signed, code = body[:-s.suite.icv_len], body[-s.suite.icv_len:]
        if not hmac.compare_digest(s.hmac(s.k1, signed)[:s.suite.icv_len], code):
            return None
        payload = body[12:12 + length]
        if len(payload) < 32 or len(payload) % 16:
            return None
        dec = Cipher(algorithms.AES(s.k2[:16]), modes.CBC(payload[:16])).decryptor()
        plain = dec.update(payload[16:]) + dec.finalize()
        pad = plain[-1]
        if pad > 15:
            return None
        return plain[:-1 - pad]

    def _frame(self, s, kind, payload):
        """One IPMI 2.0 packet to the console; inside an active session, encrypted and signed."""
        if s is None or not s.active:
            return RMCP_IPMI + struct.pack('<BBIIH', AUTH_RMCPPLUS, kind, 0, 0, len(payload)) + payload
        pad = 15 - len(payload) % 16
        iv = os.urandom(16)
        enc = Cipher(algorithms.AES(s.k2[:16]), modes.CBC(iv)).encryptor()
        payload = iv + enc.update(payload + bytes(range(1, pad + 1)) + bytes([pad])) + enc.finalize()
        s.out_seq = (s.out_seq + 1) & 0xFFFFFFFF or 1
        body = struct.pack('<BBIIH', AUTH_RMCPPLUS, kind | ENCRYPTED | AUTHENTICATED, s.console_id, s.out_seq, len(payload)) + payload
        # integrity pad: the signed range (from the auth type through next header) is a multiple of 4 bytes
        fill = (4 - (len(body) + 2) % 4) % 4
        body += b'\xff' * fill + bytes([fill, 0x07])
        return RMCP_IPMI + body + s.hmac(s.k1, body)[:s.suite.icv_len]

    def _in_session(self, s, msg):
        netfn, cmd, data = msg[1] >> 2, msg[5], msg[6:-1]
        if netfn == 0x06 and cmd == 0x3B:  # Set Session Privilege Level
            wanted = data[0] & 0x0F if data else 0
            if wanted == 0:
                return ipmi_reply(msg, OK, bytes([s.privilege]))
            if wanted > s.max_privilege or wanted < USER:
                return ipmi_reply(msg, 0x81, b'')
            s.privilege = wanted
            return ipmi_reply(msg, OK, bytes([wanted]))
        if netfn == 0x06 and cmd == 0x3C:  # Close Session
            with self.lock:
                self.sessions.pop(s.managed_id, None)
            return ipmi_reply(msg, OK, b'')
        code, answer = self.bmc.handle(netfn, cmd, data, s.privilege)
        return ipmi_reply(msg, code, answer)

    # the RMCP+ handshake

    def _open_session(self, p):
        if len(p) < 32:
            return []
        tag, wanted, console_id = p[0], p[1] & 0x0F, struct.unpack_from('<I', p, 4)[0]
        auth, integrity, conf = p[12], p[20], p[28]

        def refuse(status):
            return [self._frame(None, OPEN_RSP, bytes([tag, status, 0, 0]) + struct.pack('<I', console_id))]

        suite = next((s for s in SUITES if (s.auth, s.integrity, s.confidentiality) == (auth, integrity, conf)), None)
        if suite is None:
            if auth not in {s.auth for s in SUITES}:
                return refuse(ST_BAD_AUTH_ALG)
            if conf not in {s.confidentiality for s in SUITES}:
                return refuse(ST_BAD_CONF_ALG)
            return refuse(ST_BAD_INTEGRITY_ALG)
        now = time.monotonic()
        with self.lock:
            for sid in [k for k, v in self.sessions.items() if now - v.last_seen > SESSION_IDLE_SECONDS]:
                del self.sessions[sid]
            if len(self.sessions) >= MAX_SESSIONS:
                return refuse(ST_NO_RESOURCES)
            managed_id = 0
            while managed_id == 0 or managed_id in self.sessions:
                managed_id = struct.unpack('<I', os.urandom(4))[0]
            privilege = wanted or ADMINISTRATOR
            self.sessions[managed_id] = Session(managed_id, console_id, suite, privilege)
        algorithms_ = b''.join(bytes([kind, 0, 0, 8, alg, 0, 0, 0]) for kind, alg in ((0, auth), (1, integrity), (2, conf)))
        body = bytes([tag, ST_OK, privilege, 0]) + struct.pack('<II', console_id, managed_id) + algorithms_
        return [self._frame(None, OPEN_RSP, body)]

    def _pending(self, managed_id):
        with self.lock:
            s = self.sessions.get(managed_id)
        return s if s is not None and not s.active else None

    def _rakp1(self, p):
        if len(p) < 28:
            return []
        tag, managed_id = p[0], struct.unpack_from('<I', p, 4)[0]
        s = self._pending(managed_id)
        if s is None:
            return [self._frame(None, RAKP2, bytes([tag, ST_INVALID_SID, 0, 0]) + struct.pack('<I', 0))]
        s.rm, s.role, name_len = bytes(p[8:24]), p[24], p[27]
        s.username = bytes(p[28:28 + name_len])

        def refuse(status):
            return [self._frame(None, RAKP2, bytes([tag, status, 0, 0]) + struct.pack('<I', s.console_id))]

        _, user = self.bmc.find_user(s.username.decode('latin-1'))
        if user is None:
            return refuse(ST_UNAUTHORIZED_NAME)
        level = s.role & 0x0F
        if level > user.privilege or level > s.max_privilege:
            return refuse(ST_INVALID_ROLE)
        s.max_privilege = min(user.privilege, s.max_privilege)
        s.kuid = user.password.encode('latin-1')
        s.rc = os.urandom(16)
        # HMAC(Kuid, SIDm, SIDc, Rm, Rc, GUIDc, RoleM, ULengthM, UNameM): made with the BMC's copy of the
        # password, so a console that holds another password sees this HMAC fail (ipmitool: "RAKP 2 HMAC is invalid").
        signed = struct.pack('<II', s.console_id, s.managed_id) + s.rm + s.rc + self.guid + bytes([s.role, len(s.username)]) + s.username
        body = bytes([tag, ST_OK, 0, 0]) + struct.pack('<I', s.console_id) + s.rc + self.guid + s.hmac(s.kuid, signed)
        return [self._frame(None, RAKP2, body)]

    def _rakp3(self, p):
        if len(p) < 8:
            return []
        tag, status, managed_id = p[0], p[1], struct.unpack_from('<I', p, 4)[0]
        s = self._pending(managed_id)
        if s is None or not s.rc:
            return [self._frame(None, RAKP4, bytes([tag, ST_INVALID_SID, 0, 0]) + struct.pack('<I', 0))]
        if status != ST_OK:  # the console gave up on this handshake (e.g. it found the RAKP 2 HMAC wrong)
            with self.lock:
                self.sessions.pop(managed_id, None)
            return []
        expected = s.hmac(s.kuid, s.rc + struct.pack('<I', s.console_id) + bytes([s.role, len(s.username)]) + s.username)
        if not hmac.compare_digest(expected, bytes(p[8:])):
            with self.lock:
                self.sessions.pop(managed_id, None)
            return [self._frame(None, RAKP4, bytes([tag, ST_INVALID_ICV, 0, 0]) + struct.pack('<I', s.console_id))]
        # No BMC key (Kg) is set, so the session integrity key is derived from Kuid.
        s.sik = s.hmac(s.kuid, s.rm + s.rc + bytes([s.role, len(s.username)]) + s.username)
        s.k1 = s.hmac(s.sik, b'\x01' * 20)
        s.k2 = s.hmac(s.sik, b'\x02' * 20)
        icv = s.hmac(s.sik, s.rm + struct.pack('<I', s.managed_id) + self.guid)[:s.suite.icv_len]
        reply = self._frame(None, RAKP4, bytes([tag, ST_OK, 0, 0]) + struct.pack('<I', s.console_id) + icv)
        s.active = True
        s.privilege = min(USER, s.max_privilege)
        s.last_seen = time.monotonic()
        return [reply]

"""What a test imports: the shared BMC state (IpmiServerContext), the UDP request handler (IpmiServer),
and the threaded UDP server (ThreadedIpmiServer), used as

    IpmiServerContext('reset')
    server = ThreadedIpmiServer(('0.0.0.0', port), IpmiServer)
    IpmiServerContext().bmc.powerstate = 'on'
"""
import socketserver
import threading

from .bmc import Bmc
from .rmcp import SessionLayer


class IpmiServerContext:
    """The process-wide simulated BMC: `IpmiServerContext().bmc` is the BMC every server in this
    process answers for; `IpmiServerContext('reset')` starts a fresh one (power off, user admin/password)
    and forgets all sessions."""

    _instance = None
    _guard = threading.Lock()

    def __new__(cls, action=None, **bmc_options):
        with cls._guard:
            if cls._instance is None or action == 'reset':
                instance = super().__new__(cls)
                instance.bmc = Bmc(**bmc_options)
                instance.channel = SessionLayer(instance.bmc)
                cls._instance = instance
            return cls._instance

    def __init__(self, action=None, **bmc_options):
        pass


class IpmiServer(socketserver.BaseRequestHandler):
    """Answers one RMCP datagram for the context's BMC."""

    def handle(self):
        data, sock = self.request
        for reply in IpmiServerContext().channel.datagram(bytes(data)):
            sock.sendto(reply, self.client_address)


class ThreadedIpmiServer(socketserver.ThreadingMixIn, socketserver.UDPServer):
    """A UDP server on the address given (port 623 on a real BMC); `serve_forever`, `shutdown` and
    `server_close` are socketserver's."""

    daemon_threads = True

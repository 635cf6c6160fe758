"""Runs one simulated BMC until interrupted:

    python3 -m ipmisim [--host 127.0.0.1] [--port 623] [--user NAME:PASSWORD ...] [--power on|off]

Prints `ipmisim listening on HOST:PORT` once it answers (with --port 0 the port is the one picked)."""
import argparse
import signal
import sys

from .ipmisim import IpmiServer, IpmiServerContext, ThreadedIpmiServer


def main(argv=None):
    parser = argparse.ArgumentParser(prog='ipmisim', description='A fake IPMI 2.0 (RMCP+) BMC.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=623)
    parser.add_argument('--user', action='append', default=[], metavar='NAME:PASSWORD',
                        help='a user of the BMC (repeatable; default admin:password)')
    parser.add_argument('--power', choices=('on', 'off'), default='off')
    args = parser.parse_args(argv)
    users = dict(u.split(':', 1) for u in args.user) if args.user else None
    IpmiServerContext('reset', powerstate=args.power, users=users)
    ThreadedIpmiServer.allow_reuse_address = True
    server = ThreadedIpmiServer((args.host, args.port), IpmiServer)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    host, port = server.server_address[:2]
    print(f'ipmisim listening on {host}:{port}', flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == '__main__':
    main()

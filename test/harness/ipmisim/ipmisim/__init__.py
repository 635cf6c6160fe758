"""polystack's own fake IPMI 2.0 BMC (RMCP+ / lanplus), importable as CloudStack's Marvin tests expect:

    from ipmisim.ipmisim import IpmiServerContext, IpmiServer, ThreadedIpmiServer
"""

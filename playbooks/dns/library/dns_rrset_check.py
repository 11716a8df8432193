#!/usr/bin/python
# -*- coding: utf-8 -*-
# Queries one record set with dig and compares it with the wanted one. Changes nothing on
# the server, so it runs in check mode too and reports `changed` and a diff for --check --diff.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: dns_rrset_check
short_description: Query one DNS record set (dig) and compare it with the wanted one
description:
  - Runs C(dig +norecurse) against the server, keeps the records of O(type) owned by O(fqdn),
    and reports whether adding or removing O(rdata) would change them, with a diff.
  - Never changes the server; the update itself is sent by nsupdate.
options:
  server: {description: Server address., type: str, required: true}
  port: {description: Server port., type: int, default: 53}
  key_file: {description: TSIG key file (named.conf form) to sign the query; empty for none., type: str, default: ''}
  fqdn: {description: Absolute owner name with a trailing dot., type: str, required: true}
  type: {description: Record type., type: str, required: true, choices: [A, AAAA, CNAME, TXT]}
  ttl: {description: TTL of the wanted record., type: int, required: true}
  rdata: {description: Record data in zone-file form (TXT quoted, CNAME absolute); empty with O(action=remove) removes the whole set., type: str, required: true}
  action: {description: add (the set becomes exactly this record) or remove (this record goes)., type: str, choices: [add, remove], default: add}
  expect:
    description: Records (C(ttl rdata)) the plan saw; when given and the server now differs, C(stale) is true.
    type: list
    elements: str
  result_file: {description: When set, the result is also written here as JSON (mode 0600) for the caller., type: str, default: ''}
'''

RETURN = r'''
status: {description: Status of the answer (NOERROR or NXDOMAIN)., type: str}
current: {description: Records now on the server ({ttl, rdata})., type: list}
observed: {description: The same as sorted C(ttl rdata) strings (what O(expect) compares with)., type: list}
desired: {description: Records after the change., type: list}
stale: {description: The server differs from O(expect)., type: bool}
'''

import ipaddress
import json
import os
import re

from ansible.module_utils.basic import AnsibleModule

STATUS_RE = re.compile(r'status: ([A-Z]+)')
OK_STATUSES = ('NOERROR', 'NXDOMAIN')
HINTS = {
    'NOTAUTH': ' (the server rejected the TSIG key: check its name, algorithm and secret)',
    'REFUSED': ' (the server is not authoritative for this zone, or refuses queries from here)',
    'SERVFAIL': ' (the server could not load the zone)',
}


def norm(rtype, rdata):
    # Addresses compare in canonical form, names case-insensitively, text as dig prints it.
    if rtype in ('A', 'AAAA'):
        try:
            return ipaddress.ip_address(rdata).compressed
        except ValueError:
            return rdata
    return rdata.lower() if rtype == 'CNAME' else rdata


def parse(output, fqdn, rtype):
    m = STATUS_RE.search(output)
    records = []
    for line in output.splitlines():
        if not line.strip() or line.startswith(';'):
            continue
        parts = line.split(None, 4)
        if len(parts) < 5 or parts[0].lower() != fqdn.lower() or parts[3].upper() != rtype:
            continue
        records.append({'ttl': int(parts[1]), 'rdata': parts[4].strip()})
    records.sort(key=lambda r: norm(rtype, r['rdata']))
    return (m.group(1) if m else None), records


def lines(fqdn, rtype, records):
    return ''.join('%s %d IN %s %s\n' % (fqdn, r['ttl'], rtype, r['rdata']) for r in records)


def keys(rtype, records):
    return sorted('%d %s' % (r['ttl'], norm(rtype, r['rdata'])) for r in records)


def query(module, p):
    argv = ['dig', '@' + p['server'], '-p', str(p['port'])]
    if p['key_file']:
        argv += ['-k', p['key_file']]
    argv += ['+norecurse', '+noall', '+comments', '+answer', '+time=3', '+tries=2', p['fqdn'], p['type']]
    rc, out, err = module.run_command(argv)
    if rc != 0:
        module.fail_json(msg='dig %s %s at %s:%s failed (exit %d): %s' % (p['fqdn'], p['type'], p['server'], p['port'], rc, (out + err).strip()[-600:]))
    return out


def write_result(path, result):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        json.dump(result, f, indent=2, sort_keys=True)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            server=dict(type='str', required=True),
            port=dict(type='int', default=53),
            key_file=dict(type='str', default='', no_log=False),
            fqdn=dict(type='str', required=True),
            type=dict(type='str', required=True, choices=['A', 'AAAA', 'CNAME', 'TXT']),
            ttl=dict(type='int', required=True),
            rdata=dict(type='str', required=True),
            action=dict(type='str', default='add', choices=['add', 'remove']),
            expect=dict(type='list', elements='str'),
            result_file=dict(type='str', default=''),
        ),
        supports_check_mode=True,
    )
    p = module.params
    rtype = p['type']
    status, current = parse(query(module, p), p['fqdn'], rtype)
    if status not in OK_STATUSES:
        module.fail_json(msg='the query for %s %s failed: status %s%s' % (p['fqdn'], rtype, status or 'unknown (no answer)', HINTS.get(status, '')), status=status)
    wanted = norm(rtype, p['rdata'])
    if p['action'] == 'add':
        desired = [{'ttl': p['ttl'], 'rdata': p['rdata']}]
    elif p['rdata'] == '':
        desired = []
    else:
        desired = [r for r in current if norm(rtype, r['rdata']) != wanted]
    changed = keys(rtype, current) != keys(rtype, desired)
    stale = p['expect'] is not None and sorted(p['expect']) != keys(rtype, current)
    result = dict(changed=changed, stale=stale, status=status, current=current, observed=keys(rtype, current), desired=desired)
    if p['result_file']:
        write_result(p['result_file'], dict(result, fqdn=p['fqdn'], type=rtype, action=p['action']))
    result['diff'] = dict(
        before=lines(p['fqdn'], rtype, current),
        after=lines(p['fqdn'], rtype, desired),
        before_header='%s %s (server now)' % (p['fqdn'], rtype),
        after_header='%s %s (after %s)' % (p['fqdn'], rtype, p['action']),
    )
    module.exit_json(**result)


if __name__ == '__main__':
    main()

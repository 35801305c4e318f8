// Admins: a one-time enrolment token, shown once, with the command that enrols an agent with it
// on Linux and on Windows.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { CopyText } from '../../ui/CopyText.tsx';
import { at } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';
import { linuxCommand, serverUrl, windowsCommand } from './install-commands.ts';

const CREATE = `mutation ($hostname: String, $ttl: Int) { createEnrollmentToken(hostname: $hostname, ttlMinutes: $ttl) { token expiresAt } }`;

interface Made {
  token: string;
  expiresAt: string;
  hostname: string | null;
  server: string;
}

export function EnrolToken() {
  const [{ fetching, error }, create] = useMutation<{ createEnrollmentToken: { token: string; expiresAt: string } }>(CREATE);
  const [server, setServer] = useState(location.origin);
  const [hostname, setHostname] = useState('');
  const [ttl, setTtl] = useState('60');
  const [made, setMade] = useState<Made | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    const url = serverUrl(server);
    if (!url) return setProblem('Server address: an http:// or https:// URL the agent can reach');
    const minutes = Number(ttl);
    if (!Number.isInteger(minutes) || minutes < 1) return setProblem('Valid for: a whole number of minutes');
    const host = hostname.trim() || null;
    const r = await create({ hostname: host, ttl: minutes });
    if (r.data) setMade({ ...r.data.createEnrollmentToken, hostname: host, server: url });
  }

  return (
    <section className="card enrol" aria-labelledby="enrol-title">
      <h2 id="enrol-title">Enrol an agent</h2>
      <form className="enrol-form" onSubmit={(e) => void submit(e)}>
        <label>
          Server address (as the agent's host reaches it)
          <input value={server} onChange={(e) => setServer(e.target.value)} />
        </label>
        <label>
          Hostname (optional: binds the token to one host)
          <input value={hostname} placeholder="any host" onChange={(e) => setHostname(e.target.value)} />
        </label>
        <label>
          Valid for (minutes)
          <input type="number" min={1} max={43200} value={ttl} onChange={(e) => setTtl(e.target.value)} />
        </label>
        <button type="submit" disabled={fetching}>Create enrolment token</button>
      </form>
      {(problem ?? error) && <p className="error" role="alert">{problem ?? (error ? says(error) : null)}</p>}
      {made && (
        <div className="enrol-result" data-testid="enrol-result">
          <p>
            Token (shown once, single use, valid until {at(made.expiresAt)}{made.hostname ? `, for ${made.hostname} only` : ''}):{' '}
            <code data-testid="enrol-token">{made.token}</code>
          </p>
          <h3>Linux (systemd)</h3>
          <p className="muted">
            With <code>esmon-agent</code> in /usr/local/bin, its user and /etc/esmon-agent made and esmon-agent.service installed (see the comment at the top of that file):
          </p>
          <CopyText text={linuxCommand(made)} label="Linux install command" testId="install-linux" />
          <h3>Windows</h3>
          <p className="muted">
            In an elevated PowerShell, in the folder holding install-windows-service.ps1 (esmon-agent.exe in Program Files\esmon):
            {made.hostname ? ` the agent enrols under the machine's name, which must be ${made.hostname}.` : ''}
          </p>
          <CopyText text={windowsCommand(made)} label="Windows install command" testId="install-windows" />
        </div>
      )}
    </section>
  );
}

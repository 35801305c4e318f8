// A minimal page until the React workbench lands: log in, list hosts, follow CPU and memory live
// through GraphQL subscriptions over SSE (never polling).
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('esmon.token');

async function gql(query, variables) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data;
}

/** Reads a GraphQL-over-SSE subscription; calls onData for each event. */
async function subscribe(query, variables, onData) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('');
      if (data) onData(JSON.parse(data));
    }
  }
}

function row(host) {
  const tr = document.createElement('tr');
  tr.id = `host-${host.id}`;
  tr.innerHTML = '<td class="name"></td><td class="status"></td><td class="cpu"></td><td class="mem"></td><td class="seen"></td>';
  tr.querySelector('.name').textContent = host.hostname;
  setStatus(tr, host.status);
  tr.querySelector('.cpu').textContent = host.cpu?.value?.toFixed(1) ?? '–';
  tr.querySelector('.mem').textContent = host.mem?.value?.toFixed(1) ?? '–';
  tr.querySelector('.seen').textContent = host.lastSeenAt ? new Date(host.lastSeenAt).toLocaleTimeString() : '–';
  return tr;
}

function setStatus(tr, status) {
  const cell = tr.querySelector('.status');
  cell.textContent = status;
  cell.className = `status ${status}`;
}

async function showHosts() {
  $('login').hidden = true;
  $('hosts').hidden = false;
  $('logout').hidden = false;
  const { me, hosts } = await gql(`{ me { email role } hosts(first: 200) { edges { node { id hostname status lastSeenAt
    cpu: latest(metric: "os.cpu.usage") { value } mem: latest(metric: "os.mem.used_pct") { value } } } } }`);
  $('who').textContent = `${me.email} (${me.role})`;
  const tbody = $('host-rows');
  tbody.replaceChildren(...hosts.edges.map((e) => row(e.node)));
  $('live').textContent = '· live';
  subscribe('subscription { hostStatusChanged { hostId status } }', {}, ({ data }) => {
    const tr = $(`host-${data.hostStatusChanged.hostId}`);
    if (tr) setStatus(tr, data.hostStatusChanged.status);
    else showHosts();
  });
  for (const { node } of hosts.edges) {
    subscribe('subscription ($id: ID!) { samplesAdded(hostId: $id) { samples { metric labels ts value } } }', { id: node.id }, ({ data }) => {
      const tr = $(`host-${node.id}`);
      for (const s of data.samplesAdded.samples) {
        if (Object.keys(s.labels).length > 0) continue;
        if (s.metric === 'os.cpu.usage') tr.querySelector('.cpu').textContent = s.value.toFixed(1);
        if (s.metric === 'os.mem.used_pct') tr.querySelector('.mem').textContent = s.value.toFixed(1);
        tr.querySelector('.seen').textContent = new Date(s.ts).toLocaleTimeString();
      }
    });
  }
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const { login } = await gql('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: form.get('email'),
      p: form.get('password'),
    });
    token = login.token;
    sessionStorage.setItem('esmon.token', token);
    await showHosts();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await gql('mutation { logout }').catch(() => undefined);
  sessionStorage.removeItem('esmon.token');
  location.reload();
});

if (token) showHosts().catch(() => { sessionStorage.removeItem('esmon.token'); token = null; $('login').hidden = false; });
else $('login').hidden = false;

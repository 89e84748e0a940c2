'use strict';

// The page talks only to this app's own API; nothing is fetched from elsewhere.
const $ = (id) => document.getElementById(id);
const POLL_MS = 1000;

const state = {
  session: null,     // who is signed in: {signedIn, id, username, displayName, role}
  user: null,        // the signed-in person's avatar state, as GET /api/users/{id}/avatar returns it
  file: null,        // the chosen picture, not yet uploaded
  cropResult: null,  // once READY after an upload without a chosen square: what the server did, in words
  crop: null,        // {x, y, size}: fractions of the upright preview (corner of width/height, side of the shorter side)
  cropChosen: false, // whether the person moved or resized the square; until then the server frames the face
  awaitingFraming: false, // uploaded without a chosen square: once READY, the preview shows the square kept
  pollTimer: null,
};

/** The CSRF token the server put in the XSRF-TOKEN cookie; every change sends it back as a header. */
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : null;
}

async function api(method, url, body) {
  const options = { method, headers: { Accept: 'application/json, application/problem+json' } };
  if (method !== 'GET' && csrfToken()) {
    options.headers['X-XSRF-TOKEN'] = csrfToken();
  }
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error((data && data.detail) || `The server answered ${response.status}.`);
  }
  return data;
}

/** The round variant of a thumbnail URL: a PNG transparent outside the circle (a round placeholder until ready). */
function roundUrl(url) {
  return `${url}${url.includes('?') ? '&' : '?'}shape=circle`;
}

function avatarImage(user, className, alt) {
  const img = document.createElement('img');
  img.className = `avatar ${className}`;
  img.src = roundUrl(user.thumbnailUrl);
  img.alt = alt;
  return img;
}

function statusLabel(status) {
  return { NONE: 'No picture yet', PENDING: 'Pending', PROCESSING: 'Processing', READY: 'Ready', FAILED: 'Failed' }[status] || status;
}

// ---- signing up, in and out ------------------------------------------------------------------------------------

/** Asks who is signed in (which also sets the CSRF cookie) and shows the page for them. */
async function refreshSession() {
  try {
    state.session = await api('GET', '/api/session');
  } catch (error) {
    state.session = { signedIn: false };
  }
  showSession();
}

function showSession() {
  const session = state.session;
  const signedIn = Boolean(session && session.signedIn);
  $('signed-out').hidden = signedIn;
  $('signed-in').hidden = !signedIn;
  $('me').hidden = !signedIn;
  $('operations').hidden = !(signedIn && session.role === 'ADMIN');
  $('tokens').hidden = !signedIn;
  $('token-scope-admin').hidden = !(signedIn && session.role === 'ADMIN');
  $('token-scope-admin').disabled = !(signedIn && session.role === 'ADMIN');
  $('token-message').textContent = '';
  clearTimeout(state.pollTimer);
  state.user = null;
  // Whoever signs in next starts with a clean upload form, not the previous person's picture.
  state.file = null;
  state.crop = null;
  $('crop-area').hidden = true;
  $('upload-message').textContent = '';
  $('upload-progress').value = 0;
  $('process-report').textContent = '';
  if (signedIn) {
    $('signed-in-name').textContent = `${session.displayName} (@${session.username})`;
    $('signed-in-role').textContent = session.role === 'ADMIN' ? 'Admin' : '';
    $('my-name').textContent = `${session.displayName} (@${session.username})`;
    refreshMyAvatar();
    refreshTokens();
    if (session.role === 'ADMIN') {
      refreshOperations();
    }
  }
}

async function signIn(username, password) {
  state.session = await api('POST', '/api/session', { username, password });
  showSession();
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('sign-in-message');
  message.textContent = '';
  try {
    await signIn($('sign-in-username').value.trim(), $('sign-in-password').value);
    $('sign-in').reset();
  } catch (error) {
    message.textContent = error.message;
  }
});

$('create-user').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('create-message');
  message.textContent = '';
  const username = $('new-username').value.trim();
  const password = $('new-password').value;
  try {
    await api('POST', '/api/users', { username, displayName: $('new-display-name').value.trim(), password });
    await signIn(username, password);
    $('create-user').reset();
    refreshPeople();
  } catch (error) {
    message.textContent = error.message;
  }
});

$('sign-out').addEventListener('click', async () => {
  try {
    await api('DELETE', '/api/session');
  } catch (error) {
    $('account-message').textContent = error.message;
  }
  await refreshSession();
});

$('change-account').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('account-message');
  message.className = 'message';
  message.textContent = '';
  const change = {};
  const displayName = $('change-display-name').value.trim();
  if (displayName) change.displayName = displayName;
  if ($('change-password').value) {
    change.password = $('change-password').value;
    change.currentPassword = $('current-password').value;
  }
  try {
    await api('PATCH', `/api/users/${state.session.id}`, change);
    $('change-account').reset();
    message.className = 'message ok';
    message.textContent = 'Saved.';
    await refreshSession();
    refreshPeople();
  } catch (error) {
    message.textContent = error.message;
  }
});

$('delete-account').addEventListener('click', async () => {
  if (!window.confirm('Delete your account and your picture for good?')) {
    return;
  }
  try {
    await api('DELETE', `/api/users/${state.session.id}`);
    await api('DELETE', '/api/session').catch(() => {});
  } catch (error) {
    $('account-message').textContent = error.message;
  }
  await refreshSession();
  refreshPeople();
});

// ---- API tokens -----------------------------------------------------------------------------------------------

async function refreshTokens() {
  try {
    const tokens = await api('GET', '/api/tokens');
    $('token-list').replaceChildren(...tokens.map((token) => {
      const li = document.createElement('li');
      const state = token.revokedAt ? 'revoked'
        : (token.expiresAt && new Date(token.expiresAt) < new Date() ? 'expired'
          : (token.expiresAt ? `until ${new Date(token.expiresAt).toLocaleDateString()}` : 'no expiry'));
      li.append(`${token.name} (${token.scope}, ${state}) `);
      if (!token.revokedAt) {
        const revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.textContent = 'Revoke';
        revoke.setAttribute('aria-label', `Revoke ${token.name}`);
        revoke.addEventListener('click', async () => {
          try {
            await api('DELETE', `/api/tokens/${token.id}`);
          } catch (error) {
            $('token-message').textContent = error.message;
          }
          refreshTokens();
        });
        li.append(revoke);
      }
      return li;
    }));
  } catch (error) {
    $('token-message').textContent = error.message;
  }
}

$('create-token').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = $('token-message');
  message.className = 'message';
  message.textContent = '';
  const days = $('token-expiry').value;
  const request = { name: $('token-name').value.trim(), scope: $('token-scope').value };
  if (days) {
    request.expiresAt = new Date(Date.now() + Number(days) * 86400000).toISOString();
  }
  try {
    const created = await api('POST', '/api/tokens', request);
    $('create-token').reset();
    message.className = 'message ok';
    message.textContent = `Your new token (copy it now, it is not shown again): ${created.token}`;
    refreshTokens();
  } catch (error) {
    message.textContent = error.message;
  }
});

// ---- finding people --------------------------------------------------------------------------------------------

let searchTimer = null;
$('user-search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(searchUsers, 200);
});

async function searchUsers() {
  const q = $('user-search').value.trim();
  const list = $('user-results');
  if (!q) {
    list.replaceChildren();
    return;
  }
  try {
    const page = await api('GET', `/api/users?size=20&q=${encodeURIComponent(q)}`);
    list.replaceChildren(...page.items.map((user) => {
      const li = document.createElement('li');
      li.append(avatarImage(user, 'small', ''), `${user.displayName} (@${user.username})`);
      return li;
    }));
    if (page.items.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Nobody matches.';
      list.append(li);
    }
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: error.message }));
  }
}

// ---- your avatar -----------------------------------------------------------------------------------------------

async function refreshMyAvatar() {
  if (!state.session || !state.session.signedIn) {
    return;
  }
  try {
    showAvatar(await api('GET', `/api/users/${state.session.id}/avatar`));
  } catch (error) {
    $('my-error').textContent = error.message;
  }
}

function showAvatar(avatar) {
  const previous = state.user;
  state.user = avatar;
  const badge = $('my-status');
  badge.textContent = statusLabel(avatar.status);
  badge.className = `badge ${avatar.status}`;
  $('my-error').textContent = avatar.status === 'FAILED' ? avatar.error || '' : '';
  $('remove-avatar').hidden = avatar.status === 'NONE';
  const img = $('my-avatar');
  // The versioned URL changes exactly when the picture does, so this swaps the image only then.
  if (img.getAttribute('src') !== roundUrl(avatar.thumbnailUrl)) {
    img.src = roundUrl(avatar.thumbnailUrl);
  }
  $('my-framing').textContent = framingLabel(avatar);
  if (state.awaitingFraming && avatar.status === 'READY' && avatar.framing) {
    // The preview still shows the picture just uploaded: move its square to where the server put it.
    state.awaitingFraming = false;
    state.crop = clampCrop({ x: avatar.framing.square.x, y: avatar.framing.square.y, size: avatar.framing.square.size });
    state.cropResult = framingLabel(avatar);
    drawCrop();
  } else if (avatar.status === 'FAILED') {
    state.awaitingFraming = false;
  }
  if (previous && previous.status !== avatar.status) {
    refreshPeople();
  }
  pollWhilePending();
}

$('remove-avatar').addEventListener('click', async () => {
  if (!window.confirm('Remove your picture? Your initials show instead.')) {
    return;
  }
  try {
    await api('DELETE', `/api/users/${state.session.id}/avatar`);
  } catch (error) {
    $('my-error').textContent = error.message;
    return;
  }
  await refreshMyAvatar();
  refreshPeople();
});

/** Which square the ready avatar kept, in words: the person's, the one framed on a face, or the centre. */
function framingLabel(avatar) {
  const framing = avatar.status === 'READY' && avatar.framing;
  if (!framing) {
    return '';
  }
  switch (framing.kind) {
    case 'FACE': return framing.faces > 1 ? `Framed on the ${framing.faces} faces we found.` : 'Framed on the face we found.';
    case 'CHOSEN': return 'The square you chose.';
    default: return 'No face found: the centre square.';
  }
}

function pollWhilePending() {
  clearTimeout(state.pollTimer);
  const status = state.user && state.user.status;
  if (status !== 'PENDING' && status !== 'PROCESSING') {
    return;
  }
  state.pollTimer = setTimeout(refreshMyAvatar, POLL_MS);
}

// ---- choosing a picture and its crop ---------------------------------------------------------------------------

const dropzone = $('dropzone');
$('file-input').addEventListener('change', () => {
  if ($('file-input').files.length > 0) {
    choose($('file-input').files[0]);
  }
});
dropzone.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropzone.classList.add('over');
});
dropzone.addEventListener('dragleave', () => dropzone.classList.remove('over'));
dropzone.addEventListener('drop', (event) => {
  event.preventDefault();
  dropzone.classList.remove('over');
  if (event.dataTransfer.files.length > 0) {
    choose(event.dataTransfer.files[0]);
  }
});

function choose(file) {
  state.file = file;
  $('upload-message').textContent = '';
  $('upload-progress').value = 0;
  const preview = $('preview');
  if (preview.src) {
    URL.revokeObjectURL(preview.src);
  }
  // The browser applies EXIF orientation to <img>, so phone photos preview upright, as the job will make them.
  preview.onload = () => {
    const short = Math.min(preview.naturalWidth, preview.naturalHeight);
    state.cropChosen = false;
    state.cropResult = null;
    state.awaitingFraming = false;
    state.crop = {
      size: 1,
      x: (preview.naturalWidth - short) / 2 / preview.naturalWidth,
      y: (preview.naturalHeight - short) / 2 / preview.naturalHeight,
    };
    $('crop-area').hidden = false;
    layoutPreview();
    drawCrop();
  };
  preview.onerror = () => {
    // Not something this browser can show; the server will judge it when it is uploaded.
    state.crop = null;
    state.cropChosen = false;
    $('crop-area').hidden = false;
    drawCrop();
  };
  preview.src = URL.createObjectURL(file);
}

/** Fits the preview to the page: small pictures grow to a workable size, large ones shrink to fit. */
function layoutPreview() {
  const preview = $('preview');
  const width = preview.naturalWidth;
  const height = preview.naturalHeight;
  if (!width || !height) {
    return;
  }
  const maxWidth = $('crop-area').clientWidth;
  const maxHeight = window.innerHeight * 0.6;
  const scale = Math.min(maxWidth / width, maxHeight / height, Math.max(1, 400 / Math.max(width, height)));
  preview.style.width = `${Math.floor(width * scale)}px`;
  preview.style.height = `${Math.floor(height * scale)}px`;
}

function stageSize() {
  const preview = $('preview');
  return { width: preview.clientWidth, height: preview.clientHeight };
}

function drawCrop() {
  const box = $('crop-box');
  box.hidden = state.crop === null;
  // Until the person moves it, the square is only where the server starts: it looks for a face there first.
  box.classList.toggle('automatic', !state.cropChosen);
  $('crop-label').textContent = state.cropChosen ? '' : (state.cropResult || 'we will look for a face');
  if (!state.crop) {
    return;
  }
  const { width, height } = stageSize();
  const side = state.crop.size * Math.min(width, height);
  box.style.left = `${state.crop.x * width}px`;
  box.style.top = `${state.crop.y * height}px`;
  box.style.width = `${side}px`;
  box.style.height = `${side}px`;
  box.setAttribute('aria-valuetext',
    `${Math.round(state.crop.size * 100)}% of the picture, ${Math.round(state.crop.x * 100)}% from the left, ${Math.round(state.crop.y * 100)}% from the top`);
}

/** Keeps the square inside the picture: side in (0, 1] of the shorter side, corner so the square still fits. */
function clampCrop(crop) {
  const { width, height } = stageSize();
  const short = Math.min(width, height);
  const minSize = Math.min(1, 24 / short);
  const size = Math.min(1, Math.max(minSize, crop.size));
  const side = size * short;
  return {
    size,
    x: Math.min(Math.max(0, crop.x), (width - side) / width),
    y: Math.min(Math.max(0, crop.y), (height - side) / height),
  };
}

window.addEventListener('resize', () => {
  layoutPreview();
  drawCrop();
});

const box = $('crop-box');
let drag = null;
box.addEventListener('pointerdown', (event) => {
  event.preventDefault();
  box.setPointerCapture(event.pointerId);
  box.focus();
  drag = {
    mode: event.target === $('crop-handle') ? 'resize' : 'move',
    startX: event.clientX,
    startY: event.clientY,
    crop: { ...state.crop },
  };
});
box.addEventListener('pointermove', (event) => {
  if (!drag) {
    return;
  }
  const { width, height } = stageSize();
  const dx = event.clientX - drag.startX;
  const dy = event.clientY - drag.startY;
  if (drag.mode === 'move') {
    state.crop = clampCrop({ ...drag.crop, x: drag.crop.x + dx / width, y: drag.crop.y + dy / height });
    state.cropChosen = state.cropChosen || dx !== 0 || dy !== 0;
  } else {
    const short = Math.min(width, height);
    // Keep the top-left corner; never let the square grow past the picture's edges.
    const room = Math.min(width * (1 - drag.crop.x), height * (1 - drag.crop.y)) / short;
    const size = Math.min(room, drag.crop.size + Math.max(dx, dy) / short);
    state.crop = clampCrop({ ...drag.crop, size });
    state.cropChosen = state.cropChosen || dx !== 0 || dy !== 0;
  }
  drawCrop();
});
const endDrag = () => { drag = null; };
box.addEventListener('pointerup', endDrag);
box.addEventListener('pointercancel', endDrag);

box.addEventListener('keydown', (event) => {
  if (!state.crop) {
    return;
  }
  const step = event.shiftKey ? 0.1 : 0.01;
  const { width, height } = stageSize();
  const short = Math.min(width, height);
  const crop = { ...state.crop };
  switch (event.key) {
    case 'ArrowLeft': crop.x -= step * short / width; break;
    case 'ArrowRight': crop.x += step * short / width; break;
    case 'ArrowUp': crop.y -= step * short / height; break;
    case 'ArrowDown': crop.y += step * short / height; break;
    case '+': case '=': crop.size += step * 5; break;
    case '-': case '_': crop.size -= step * 5; break;
    default: return;
  }
  event.preventDefault();
  state.crop = clampCrop(crop);
  state.cropChosen = true;
  drawCrop();
});

// ---- uploading -------------------------------------------------------------------------------------------------

$('upload-button').addEventListener('click', () => {
  if (!state.session || !state.session.signedIn || !state.file) {
    return;
  }
  const form = new FormData();
  form.append('file', state.file);
  // An untouched square is not sent: the server then frames the face it finds, or keeps the centre square.
  if (state.crop && state.cropChosen) {
    form.append('cropX', state.crop.x.toFixed(6));
    form.append('cropY', state.crop.y.toFixed(6));
    form.append('cropSize', state.crop.size.toFixed(6));
  }
  const progress = $('upload-progress');
  const message = $('upload-message');
  const button = $('upload-button');
  progress.value = 0;
  message.textContent = '';
  message.className = 'message';
  button.disabled = true;

  // XMLHttpRequest, not fetch: only it reports upload progress.
  const request = new XMLHttpRequest();
  request.open('POST', `/api/users/${state.session.id}/avatar`);
  request.setRequestHeader('Accept', 'application/json, application/problem+json');
  if (csrfToken()) {
    request.setRequestHeader('X-XSRF-TOKEN', csrfToken());
  }
  request.upload.addEventListener('progress', (event) => {
    if (event.lengthComputable) {
      progress.value = Math.round((event.loaded / event.total) * 100);
    }
  });
  request.addEventListener('load', () => {
    button.disabled = false;
    let body = null;
    try {
      body = JSON.parse(request.responseText);
    } catch (ignored) {
      // not JSON: handled below
    }
    if (request.status === 202 && body) {
      progress.value = 100;
      message.className = 'message ok';
      message.textContent = 'Uploaded. Your thumbnail is on its way.';
      state.awaitingFraming = state.crop !== null && !state.cropChosen;
      showAvatar(body);
      refreshPeople();
      if (state.session.role === 'ADMIN') {
        refreshOperations();
      }
    } else {
      progress.value = 0;
      message.textContent = (body && body.detail) || `The upload failed (${request.status}).`;
    }
  });
  request.addEventListener('error', () => {
    button.disabled = false;
    progress.value = 0;
    message.textContent = 'The upload could not reach the server.';
  });
  request.send(form);
});

// ---- people and operations -------------------------------------------------------------------------------------

async function refreshPeople() {
  try {
    const page = await api('GET', '/api/users?size=100');
    $('people').replaceChildren(...page.items.map((user) => {
      const li = document.createElement('li');
      li.append(avatarImage(user, '', `${user.displayName}'s avatar`));
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = user.displayName;
      who.title = `@${user.username}`;
      li.append(who);
      return li;
    }));
  } catch (error) {
    $('people').replaceChildren(Object.assign(document.createElement('li'), { textContent: error.message }));
  }
}

function age(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} days`;
}

async function refreshOperations() {
  if (!state.session || state.session.role !== 'ADMIN') {
    return;
  }
  try {
    const health = await api('GET', '/actuator/health');
    const backlog = health.components && health.components.backlog && health.components.backlog.details;
    if (backlog) {
      $('backlog-pending').textContent = backlog.pending;
      $('backlog-oldest').textContent = backlog.pending > 0 ? age(backlog.oldestPendingAgeSeconds) : '–';
      $('backlog-last-run').textContent = backlog.lastCompletedRunAgeSeconds >= 0
        ? `${age(backlog.lastCompletedRunAgeSeconds)} ago` : 'never';
    }
  } catch (error) {
    // The health endpoint answers 503 when the database is down; the table below shows that too.
  }
  try {
    const [thumbnails, cleanups] = await Promise.all([api('GET', '/api/jobs/thumbnails/runs?limit=8'),
      api('GET', '/api/jobs/cleanup/runs?limit=4')]);
    const runs = [...thumbnails, ...cleanups].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 10);
    $('runs').replaceChildren(...runs.map((run) => {
      const tr = document.createElement('tr');
      const cells = [run.job, run.trigger, new Date(run.startedAt).toLocaleString(), run.claimed, run.ready,
        run.failed, run.retried, run.job === 'cleanup' ? `${run.removedFiles} (${megabytes(run.removedBytes)})` : '',
        run.finished ? `${(run.durationMs / 1000).toFixed(1)} s` : 'running', run.error || ''];
      for (const value of cells) {
        tr.append(Object.assign(document.createElement('td'), { textContent: value }));
      }
      return tr;
    }));
  } catch (error) {
    $('process-report').textContent = error.message;
  }
}

function megabytes(bytes) {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** Starts a run of the job, then follows its record until it has finished. */
async function runNow(job, button) {
  const report = $('process-report');
  button.disabled = true;
  report.textContent = 'Running…';
  try {
    let run = await api('POST', `/api/jobs/${job}/runs`);
    while (!run.finished) {
      report.textContent = `Run ${run.id}: claimed ${run.claimed}, ready ${run.ready} so far…`;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      run = await api('GET', `/api/jobs/${job}/runs/${run.id}`);
    }
    const removed = job === 'cleanup' ? `, removed ${run.removedFiles} files (${megabytes(run.removedBytes)})` : '';
    report.textContent = `Run ${run.id}: claimed ${run.claimed}, ready ${run.ready}, failed ${run.failed}, `
      + `retried ${run.retried}${removed} in ${(run.durationMs / 1000).toFixed(1)} s${run.error ? ` (${run.error})` : ''}`;
  } catch (error) {
    report.textContent = error.message;
  }
  button.disabled = false;
  refreshOperations();
  refreshPeople();
  refreshMyAvatar();
}

$('process-now').addEventListener('click', () => runNow('thumbnails', $('process-now')));
$('cleanup-now').addEventListener('click', () => runNow('cleanup', $('cleanup-now')));

refreshSession();
refreshPeople();
setInterval(refreshOperations, 15000);

// The page's script: plain JavaScript that the browser runs as it is, no build step.

// Where the API is. The page and the API are two origins, so the page is told the API's
// address in its own URL (`/?api=http://127.0.0.1:3000`); without one, it is the page's origin.
const API = new URLSearchParams(location.search).get('api') ?? location.origin;

// The token from the last login, kept in this variable only: lost on reload, and out of reach
// of any script that runs later. Never in localStorage, sessionStorage or a readable cookie.
let token = null;

const $ = (selector) => document.querySelector(selector);

/** Shows `text` in the status line under the login form. */
function setStatus(text) {
  $('#status').textContent = text;
}

/** Shows the list: one `<li>` per item, its text and a Delete button. */
function render(items) {
  $('#items').replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    li.dataset.id = item.id;
    const label = document.createElement('span');
    label.className = 'item';
    // textContent, never innerHTML: a name is data, and `<img onerror=…>` must stay text.
    label.textContent = `${item.name} × ${item.quantity}`;
    const remove = document.createElement('button');
    remove.className = 'delete';
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => deleteItem(item.id));
    li.append(label, ' ', remove);
    return li;
  }));
}

/** Shows each field's error next to the field, and clears those of the others. */
function showErrors(errors) {
  for (const field of ['name', 'quantity']) {
    $(`#${field}-error`).textContent = errors[field] ?? '';
  }
}

/** The headers of a request that needs the login. */
function authorized(headers = {}) {
  return token === null ? headers : { ...headers, Authorization: `Bearer ${token}` };
}

/** Logs in: keeps the token and says who is logged in, or shows why not. */
async function logIn(username, password) {
  const response = await fetch(`${API}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await response.json();
  if (!response.ok) {
    token = null;
    setStatus(body.error);
    return;
  }
  token = body.token;
  setStatus(`logged in as ${username}`);
}

/** Fetches the list and shows it. */
async function loadItems() {
  const response = await fetch(`${API}/api/items`);
  render(await response.json());
}

/** Adds an item; true if the API stored it. A 422's errors go next to their fields. */
async function addItem(name, quantity) {
  const response = await fetch(`${API}/api/items`, {
    method: 'POST',
    headers: authorized({ 'Content-Type': 'application/json' }),
    body: JSON.stringify({ name, quantity }),
  });
  const body = await response.json();
  if (response.status === 422) {
    showErrors(body.errors);
    return false;
  }
  showErrors({});
  if (!response.ok) {
    setStatus(body.error);
    return false;
  }
  await loadItems();
  return true;
}

/** Deletes an item, then shows the list as it is now. */
async function deleteItem(id) {
  const response = await fetch(`${API}/api/items/${id}`, {
    method: 'DELETE',
    headers: authorized(),
  });
  if (!response.ok) {
    setStatus((await response.json()).error);
  }
  await loadItems();
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  logIn($('#username').value, $('#password').value);
});

$('#add').addEventListener('submit', async (event) => {
  event.preventDefault();
  // The field's text as a number: an empty field is 0, which the API refuses with a 422.
  if (await addItem($('#name').value, Number($('#quantity').value))) {
    $('#name').value = '';
    $('#quantity').value = '1';
  }
});

loadItems();

// The page's script: plain JavaScript that the browser runs as it is, no build step.
// Your part: the five functions marked TODO, each with `fetch` (MDN's "Using the Fetch API").
// Until one is written it throws, and the browser's console (shown by a failing test) says
// which. `await response.json()` reads an answer's JSON body; `response.ok` is a 2xx status.

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
  // TODO: `headers`, plus `Authorization: Bearer <token>` once logged in.
  throw new Error('TODO: authorized(): add the token to the headers');
}

/** Logs in: keeps the token and says who is logged in, or shows why not. */
async function logIn(username, password) {
  // TODO: POST `{"username", "password"}` as JSON to `${API}/api/login`. On success keep the
  // token and show `logged in as <username>`; otherwise show the API's `error`.
  throw new Error('TODO: logIn(): POST /api/login');
}

/** Fetches the list and shows it. */
async function loadItems() {
  // TODO: GET `${API}/api/items` and render the list it answers.
  throw new Error('TODO: loadItems(): GET /api/items');
}

/** Adds an item; true if the API stored it. A 422's errors go next to their fields. */
async function addItem(name, quantity) {
  // TODO: POST `{"name", "quantity"}` as JSON, with the token. A 422: show its `errors`
  // next to the fields. Another failure: clear those, show the API's `error`. Stored: clear
  // the errors and load the list again.
  throw new Error('TODO: addItem(): POST /api/items');
}

/** Deletes an item, then shows the list as it is now. */
async function deleteItem(id) {
  // TODO: DELETE `${API}/api/items/<id>` with the token; on failure show the API's `error`;
  // then load the list again.
  throw new Error('TODO: deleteItem(): DELETE /api/items/{id}');
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

'use strict';
// The exchange's web page: plain JavaScript over the HTTP API. The API key lives only in sessionStorage
// (gone when the tab closes) and is sent as a bearer token; the live tape is the public Server-Sent Events feed.

const state = { key: sessionStorage.getItem('exchangeKey'), role: null, account: null, selected: null, favourites: new Set(), feed: null, accountFeed: null, slotFeed: null, chatsFeed: null, bookingFeed: null, withdrawal: null, offer: null, chat: null, newChat: null, celebrities: [], liveQuote: null, bookQuote: null, rules: null };
const $ = (id) => document.getElementById(id);
// Fen as CNY from whole numbers only, never a floating-point division: 123456789 -> "1,234,567.89", grouped for reading;
// ungrouped (grouped = false) where the text goes back into a form, which takes digits and a point.
const yuan = (fen, grouped = true) => {
  if (fen == null) return '-';
  const abs = Math.abs(fen), cents = abs % 100, whole = (abs - cents) / 100;
  return `${fen < 0 ? '-' : ''}${grouped ? whole.toLocaleString('en-US') : whole}.${String(cents).padStart(2, '0')}`;
};
// Cash in or out of an account, or a gain: +3.69, -2.00, +0.00; '-' when unknown.
const signedYuan = (fen) => fen == null ? '-' : `${fen >= 0 ? '+' : ''}${yuan(fen)}`;
// An API duration ([d.]hh:mm:ss, as .NET writes one) in words: 01:00:00 -> "1 h", 1.00:30:00 -> "1 d 30 min".
const duration = (text) => {
  const [, days, h, m, sec] = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(text) || [];
  if (h === undefined) return text;
  const parts = [[days, 'd'], [h, 'h'], [m, 'min'], [sec, 's']].filter(([n]) => Number(n) > 0).map(([n, unit]) => `${Number(n)} ${unit}`);
  return parts.length ? parts.join(' ') : '0 s';
};
// An API time (ISO 8601, UTC) to the minute, as the tables show it: 2026-11-26 20:45.
// Converted, not cut: a slot stored before starts were kept in UTC may carry another offset.
const minuteUtc = (iso) => new Date(iso).toISOString().substring(0, 16).replace('T', ' ');

// Runs fn at most once per ms; calls during the wait make one more run when it ends, so the page still ends up
// current. A busy celebrity trades many times a second, and each trade used to reload the book, the chart, the
// whole celebrity list and the account.
function throttle(fn, ms) {
  let waiting = false, again = false;
  const run = () => {
    fn();
    waiting = true;
    setTimeout(() => { waiting = false; if (again) { again = false; run(); } }, ms);
  };
  return () => { if (waiting) again = true; else run(); };
}
const refreshMarket = throttle(() => { refreshBook(); loadCelebrities(); refreshChart(); }, 1000);
const refreshAccountSoon = throttle(() => refreshAccount(), 1000);
const refreshOwnSlotsSoon = throttle(() => refreshOwnSlots(), 1000);
// A chat's feed says something changed; the page reads the chat and the lists again (a conversation, so sooner).
const refreshChatsSoon = throttle(() => {
  refreshChats();
  refreshMyChats();
  refreshResponsiveness(); // an answer, or an unanswered end, changes how quickly the celebrity is shown to answer
  if (state.chat && state.chat.celebrityId === state.selected) refreshChat().catch(() => {});
}, 500);

async function api(path, options = {}) {
  const headers = { ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(state.key ? { Authorization: 'Bearer ' + state.key } : {}) };
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(body && body.detail ? body.detail : response.statusText);
    error.code = body && body.code ? body.code : 'http_' + response.status;
    throw error;
  }
  return body;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
    tr.appendChild(td);
  }
  return tr;
}

function button(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

async function login(key) {
  state.key = key;
  try {
    const me = await api('/api/v1/me');
    state.role = me.role;
    state.account = me.accountId;
    sessionStorage.setItem('exchangeKey', key);
    $('who').textContent = `${me.accountId} (${me.role}${me.readOnly ? ', read-only' : ''})`;
    $('logout').hidden = false;
    $('replace-key').hidden = false;
    document.body.classList.toggle('fan', me.role === 'fan');
    document.body.classList.toggle('operator', me.role === 'operator');
    document.body.classList.toggle('celebrity', me.role === 'celebrity');
    document.body.classList.toggle('read-only', me.readOnly === true);
    document.body.classList.add('signed-in');
    if (followsAccount()) followAccount();
    followSlots();
    followChats();
    followBookings();
    await refreshAccount();
    await refreshSlots();
    await refreshChats();
    await refreshMyChats();
    if (me.role === 'fan' && !me.readOnly) await refreshAppKeys();
    state.favourites = new Set((await api('/api/v1/me/favourites')).map(c => c.celebrityId));
    renderCelebrities();
  } catch (error) {
    state.key = null;
    $('who').textContent = 'login failed: ' + error.code;
  }
}

function logout() {
  stopFollowing('accountFeed');
  stopFollowing('slotFeed');
  stopFollowing('chatsFeed');
  stopFollowing('bookingFeed');
  sessionStorage.removeItem('exchangeKey');
  state.key = state.role = state.account = null;
  document.body.classList.remove('fan', 'operator', 'celebrity', 'signed-in', 'read-only');
  $('who').textContent = '';
  $('logout').hidden = true;
  $('replace-key').hidden = true;
  $('new-key').hidden = true;
  $('app-key-new').hidden = true;
  $('app-key-token').textContent = '';
  $('app-keys').tBodies[0].replaceChildren();
  state.chat = null;
  $('chat-view').hidden = true;
  $('chats').tBodies[0].replaceChildren();
  $('my-chats').tBodies[0].replaceChildren();
  $('chat-blocks').tBodies[0].replaceChildren();
  state.favourites = new Set();
  renderCelebrities();
}

// The page makes the new key's token itself, so an answer lost on the way cannot leave it holding a revoked key: the
// new token then either works (the exchange took it) or the old one still does. The old key is revoked by the same
// request, so the page switches to the new one at once and shows it this once.
async function replaceKey() {
  const token = newKeyToken();
  try {
    await api('/api/v1/me/key', { method: 'POST', body: JSON.stringify({ token }) });
  } catch (error) {
    if (!await keyWorks(token)) throw error;
  }
  state.key = token;
  sessionStorage.setItem('exchangeKey', token);
  $('new-key-token').textContent = token;
  $('new-key').hidden = false;
  if (followsAccount()) followAccount(); // the old key's feed is about to be cut
}

// Every trade of the signed-in fan as CSV, the same columns as `exchange my-trades --csv`: all pages, newest first,
// CNY with two decimals and no grouping, times in UTC, the cash each trade moved.
async function tradesCsv(pageSize = 500) {
  const lines = ['executed_at_utc,trade_id,celebrity,side,order_id,seconds,price_cny,value_cny,fee_cny,cash_cny'];
  let before = null;
  do {
    const page = await api(`/api/v1/wallet/trades?limit=${pageSize}${before ? '&before=' + encodeURIComponent(before) : ''}`);
    for (const t of page.trades) {
      const cash = t.side === 'buy' ? -t.notionalFen : t.notionalFen - t.commissionFen;
      lines.push([new Date(t.executedAt).toISOString().substring(0, 19) + 'Z', t.tradeId, t.celebrityId, t.side, t.orderId, t.quantity,
        yuan(t.priceFen, false), yuan(t.notionalFen, false), yuan(t.commissionFen, false), yuan(cash, false)].join(','));
    }
    before = page.nextBefore;
  } while (before);
  return lines.join('\n') + '\n';
}

async function downloadTradesCsv() {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([await tradesCsv()], { type: 'text/csv' }));
  link.download = `trades-${state.account}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
}

// Read-only keys the fan gave apps. The token is made here, as for a key replacement, so the exchange never sends it back
// but once, and only to this page.
async function refreshAppKeys() {
  const keys = await api('/api/v1/me/keys');
  $('app-keys').tBodies[0].replaceChildren(...keys.filter(k => k.readOnly && !k.revokedAt).map(k =>
    row([k.keyId, minuteUtc(k.createdAt), button('revoke', async () => {
      await api(`/api/v1/me/keys/${encodeURIComponent(k.keyId)}`, { method: 'DELETE' }).catch(e => alert(`${e.code}: ${e.message}`));
      $('app-key-new').hidden = true;
      await refreshAppKeys();
    })])));
}

async function addAppKey() {
  const token = newKeyToken();
  try {
    await api('/api/v1/me/keys', { method: 'POST', body: JSON.stringify({ token }) });
    $('app-key-token').textContent = token;
    $('app-key-new').hidden = false;
  } catch (error) {
    alert(`${error.code}: ${error.message}`);
  }

  await refreshAppKeys();
}

// The exchange's key format: cx_, 8 random bytes in hex, _, 32 random bytes in base64url.
function newKeyToken() {
  const bytes = n => crypto.getRandomValues(new Uint8Array(n));
  const hex = Array.from(bytes(8), b => b.toString(16).padStart(2, '0')).join('');
  const secret = btoa(String.fromCharCode(...bytes(32))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `cx_${hex}_${secret}`;
}

async function keyWorks(token) {
  try {
    return (await fetch('/api/v1/me', { headers: { Authorization: 'Bearer ' + token } })).ok;
  } catch {
    return false;
  }
}

// A private Server-Sent Events feed, read through fetch since EventSource cannot send the key. Any event runs onEvent
// (the ready event too, so a reconnect re-reads what it may have missed); a cut connection (a revoked key, a restarting
// silo) reconnects after a pause. Returns the controller that stops it.
function follow(path, onEvent) {
  const following = new AbortController();
  (async () => {
    while (!following.signal.aborted && state.key) {
      const key = state.key;
      try {
        const response = await fetch(path, { headers: { Authorization: 'Bearer ' + key }, signal: following.signal });
        if ((response.status === 401 && key === state.key) || response.status === 403 || response.status === 404) return;
        if (response.ok) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            if (chunk.value.includes('data:')) onEvent();
          }
        }
      } catch (error) {
        if (following.signal.aborted) return;
      }
      await new Promise(resume => setTimeout(resume, 5000));
    }
  })();
  return following;
}

// Fans follow their wallet; celebrities and agents their payout account (issuances paid, withdrawals decided).
const followsAccount = () => state.role === 'fan' || state.role === 'celebrity';

// The account's own feed: a fill or cancellation of any of the fan's orders (on any celebrity, not just the one shown),
// a deposit, a booking, a withdrawal decided.
function followAccount() {
  stopFollowing('accountFeed');
  state.accountFeed = follow('/api/v1/me/feed', refreshAccountSoon);
}

// Stops the private feed kept in state[name] (accountFeed, slotFeed, chatsFeed or bookingFeed), if one runs.
function stopFollowing(name) {
  if (state[name]) state[name].abort();
  state[name] = null;
}

// A fan hears the slots it booked change (how to join, a cancellation by the celebrity) and reads its bookings and the
// slots shown (where how to join is) again.
const refreshBookingsSoon = throttle(() => { refreshAccount(); refreshSlots(); }, 1000);
function followBookings() {
  stopFollowing('bookingFeed');
  state.bookingFeed = state.role === 'fan' ? follow('/api/v1/bookings/feed', refreshBookingsSoon) : null;
}

// A celebrity (or its agent) hears its slots booked and cancelled while the page shows them.
function followSlots() {
  stopFollowing('slotFeed');
  state.slotFeed = state.role === 'celebrity' && state.selected
    ? follow(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots/feed`, refreshOwnSlotsSoon)
    : null;
}

// The caller's chats as they change (a chat opened, a message, an end): a fan's own, or for a celebrity or agent every
// chat of every celebrity it acts for. It covers the chat shown too, so the page need not poll a conversation.
function followChats() {
  stopFollowing('chatsFeed');
  state.chatsFeed = state.role === 'fan' || state.role === 'celebrity' ? follow('/api/v1/chats/feed', refreshChatsSoon) : null;
}

async function loadCelebrities() {
  state.celebrities = await api('/api/v1/celebrities');
  renderCelebrities();
  showHoldingValues();
}

// The wallet's seconds at each celebrity's last trade, and the gain on what they cost, redrawn when either the
// wallet or the prices change.
function showHoldingValues() {
  for (const tr of $('wallet').tBodies[0].rows) {
    if (!tr.dataset.celebrity) continue;
    const last = state.celebrities.find(c => c.celebrityId === tr.dataset.celebrity)?.quote.lastPriceFen;
    const value = last == null ? null : Number(tr.dataset.seconds) * last;
    const gain = value == null || tr.dataset.cost === '' ? null : value - Number(tr.dataset.cost);
    tr.cells[4].textContent = yuan(value);
    tr.cells[6].textContent = signedYuan(gain);
    tr.cells[6].className = gain == null ? '' : gain >= 0 ? 'up' : 'down';
  }
}

function renderCelebrities() {
  const filter = $('filter').value.toLowerCase();
  const body = $('celebrities').tBodies[0];
  body.replaceChildren();
  // The celebrities the fan follows come first, then books that trade: that is where a fan wants to look.
  const followed = c => state.favourites.has(c.celebrityId);
  const shown = state.celebrities
    .filter(c => c.displayName.toLowerCase().includes(filter) || c.celebrityId.includes(filter) || c.category === filter)
    .sort((a, b) => followed(b) - followed(a) || (b.quote.lastPriceFen != null) - (a.quote.lastPriceFen != null) || a.displayName.localeCompare(b.displayName));
  for (const c of shown) {
    const q = state.liveQuote && state.liveQuote.celebrityId === c.celebrityId ? state.liveQuote : c.quote;
    const change = q.lastPriceFen == null ? null : (q.lastPriceFen - q.referencePriceFen) / q.referencePriceFen * 100;
    const changeCell = document.createElement('span');
    changeCell.textContent = q.isDelisted ? 'delisted' : change == null ? '-' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
    changeCell.className = q.isDelisted || !change ? '' : change > 0 ? 'up' : 'down';
    // Most celebrities never traded yet; their reference price (what the platform issued their time at, or the last close)
    // still tells a fan what the time costs, marked as no trade's.
    const priceCell = document.createElement('span');
    // A celebrity whose time was never issued has no price at all (its reference is 0).
    priceCell.textContent = yuan(q.lastPriceFen ?? (q.referencePriceFen > 0 ? q.referencePriceFen : null));
    if (q.lastPriceFen == null && q.referencePriceFen > 0) {
      priceCell.className = 'hint';
      priceCell.title = 'No trade yet: the reference price (the last close, or what the platform paid for this time)';
    }
    const tr = row([state.key ? starFor(c.celebrityId) : '', c.displayName, c.category, priceCell, changeCell]);
    tr.dataset.id = c.celebrityId;
    tr.classList.toggle('selected', c.celebrityId === state.selected);
    tr.addEventListener('click', () => select(c.celebrityId));
    body.appendChild(tr);
  }
}

// Following is kept by the exchange, so the list is the same on every device the fan signs in on.
function starFor(celebrityId) {
  const following = state.favourites.has(celebrityId);
  const star = button(following ? '★' : '☆', async event => {
    event.stopPropagation(); // a star is not a click on the row, which opens the celebrity
    const path = `/api/v1/me/favourites/${encodeURIComponent(celebrityId)}`;
    try {
      await api(path, { method: following ? 'DELETE' : 'PUT' });
      if (following) state.favourites.delete(celebrityId); else state.favourites.add(celebrityId);
    } catch (error) {
      alert(`${error.code}: ${error.message}`);
    }

    renderCelebrities();
  });
  star.className = 'star';
  star.title = following ? 'Stop following' : 'Follow: listed first, here and in exchange celebrities --favourites';
  return star;
}

async function select(celebrityId) {
  state.selected = celebrityId;
  state.liveQuote = state.bookQuote = null;
  history.replaceState(null, '', '#' + encodeURIComponent(celebrityId));
  renderCelebrities();
  $('tape').tBodies[0].replaceChildren();
  const detail = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}`);
  $('selected-name').textContent = detail.celebrity.displayName;
  showAgent(detail.celebrity.agentId);
  for (const trade of (await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/trades?limit=20`)).reverse()) addTrade(trade);
  drawChart(detail.market.candles);
  state.chat = null;
  $('chat-view').hidden = true;
  await Promise.all([refreshBook(), refreshSlots(), refreshChats(), refreshResponsiveness()]);
  watch(celebrityId);
  followSlots();
}

async function refreshBook() {
  if (!state.selected) return;
  const depth = await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/book?levels=10`);
  const q = depth.quote;
  state.bookQuote = q;
  showOrderEstimate();
  $('quote').innerHTML = '';
  const line = document.createElement('span');
  line.textContent = q.isOpen
    ? `${q.lastPriceFen == null ? 'no trades yet' : `last ${yuan(q.lastPriceFen)} CNY/s`} · band ${yuan(q.bandLowerFen)}–${yuan(q.bandUpperFen)}`
    : 'not open for trading: no time has been issued yet';
  $('quote').appendChild(line);
  if (q.haltedUntil) {
    const halted = document.createElement('span');
    halted.className = 'halted';
    halted.id = 'halted';
    halted.textContent = q.isDelisted
      ? ` DELISTED, no longer trades: ${q.haltReason.replace(/^delisted: /, '')}`
      : ` HALTED: ${q.haltReason}`;
    $('quote').appendChild(halted);
  }
  if (q.auctionCall) {
    // A volatility halt collects limit orders; the crossed bid and ask below are what its auction will trade.
    const auction = document.createElement('span');
    auction.id = 'auction';
    auction.textContent = ` · limit orders taken for the reopening auction, ${q.auctionPriceFen == null
      ? 'nothing crosses yet' : `now ${q.auctionQuantity} s at ${yuan(q.auctionPriceFen)} CNY/s`}`;
    $('quote').appendChild(auction);
  }
  const body = $('book').tBodies[0];
  body.replaceChildren();
  for (let i = 0; i < Math.max(depth.bids.length, depth.asks.length); i++) {
    const bid = depth.bids[i], ask = depth.asks[i];
    const tr = row([bid ? bid.quantity : '', bid ? yuan(bid.priceFen) : '', ask ? yuan(ask.priceFen) : '', ask ? ask.quantity : '']);
    // A click on a level fills the order form to trade against it: sell into a bid, buy from an ask.
    if (bid) fillOrderOnClick(tr.cells[0], tr.cells[1], 'sell', bid.priceFen);
    if (ask) fillOrderOnClick(tr.cells[2], tr.cells[3], 'buy', ask.priceFen);
    body.appendChild(tr);
  }
}

function addTrade(trade) {
  const body = $('tape').tBodies[0];
  const tr = row([new Date(trade.executedAt).toISOString().substring(11, 19), yuan(trade.priceFen), trade.quantity]);
  tr.className = 'trade';
  body.insertBefore(tr, body.firstChild);
  while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
}

function watch(celebrityId) {
  if (state.feed) state.feed.close();
  const feed = state.feed = new EventSource(`/api/v1/feed?celebrity=${encodeURIComponent(celebrityId)}`);
  feed.addEventListener('trade', (e) => { addTrade(JSON.parse(e.data).trade); refreshAccountSoon(); });
  // The feed's quote is the watched celebrity's freshest: the list the server shares may be up to a second older,
  // and with no later trade nothing would replace it.
  feed.addEventListener('quote', (e) => { state.liveQuote = JSON.parse(e.data).quote; renderCelebrities(); refreshMarket(); });
  // The browser reconnects a cut feed by itself but gives up on a refusal (too many feeds from this address, a proxy's
  // 503): then try again after a pause, unless another celebrity is watched by then.
  feed.onerror = () => {
    if (feed.readyState === EventSource.CLOSED) setTimeout(() => { if (state.feed === feed) watch(celebrityId); }, 5000);
  };
}

async function refreshChart() {
  if (!state.selected) return;
  drawChart(await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/candles?limit=60`));
}

function drawChart(candles) {
  const canvas = $('chart'), g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.font = '11px sans-serif';
  if (!candles.length) { g.fillStyle = '#555'; g.fillText('no trades yet', 10, 20); return; }
  const labels = 44;
  const chart = chartGeometry(candles, canvas.width - labels, canvas.height);
  candles.forEach((c, i) => {
    const x = chart.x(i);
    g.strokeStyle = g.fillStyle = c.closeFen >= c.openFen ? '#0a7d32' : '#b3261e';
    g.beginPath(); g.moveTo(x + chart.candleWidth / 2, chart.y(c.highFen)); g.lineTo(x + chart.candleWidth / 2, chart.y(c.lowFen)); g.stroke();
    g.fillRect(x, Math.min(chart.y(c.openFen), chart.y(c.closeFen)), chart.candleWidth, Math.max(1, Math.abs(chart.y(c.openFen) - chart.y(c.closeFen))));
  });
  g.fillStyle = '#555';
  g.fillText(yuan(chart.high), canvas.width - labels + 6, chart.y(chart.high) + 4);
  if (chart.low !== chart.high) g.fillText(yuan(chart.low), canvas.width - labels + 6, chart.y(chart.low) + 4);
}

// Where candles go: the newest at the right edge, each at most 14 px wide so a quiet hour does not stretch one
// candle across the chart; the price range gets a margin so a flat market sits mid-chart, not on the bottom edge.
function chartGeometry(candles, width, height) {
  const high = Math.max(...candles.map(c => c.highFen)), low = Math.min(...candles.map(c => c.lowFen));
  const margin = Math.max(1, Math.round((high - low) * 0.1), Math.round(high * 0.01));
  const top = high + margin, bottom = Math.max(0, low - margin);
  const step = Math.min(14, Math.max(3, Math.floor(width / candles.length)));
  return {
    high, low, candleWidth: step - 2,
    x: (i) => width - (candles.length - i) * step,
    y: (fen) => height - 10 - (fen - bottom) / (top - bottom) * (height - 20),
  };
}

function fillOrderOnClick(quantityCell, priceCell, side, priceFen) {
  for (const cell of [quantityCell, priceCell]) {
    cell.classList.add('level');
    cell.title = `${side} at ${yuan(priceFen)}`;
    cell.addEventListener('click', () => {
      $('order-side').value = side;
      $('order-type').value = 'limit';
      enableOrderFields();
      $('order-price').value = yuan(priceFen, false);
      showOrderEstimate();
      $('order-quantity').focus();
    });
  }
}

// Prices are typed in CNY, as the page shows every price, and sent as whole fen. The text is parsed, never passed
// through floating point, so 9.95 is exactly 995 fen, and 9.955 is refused rather than rounded.
function fenFromYuan(text, code = 'invalid_price', message = 'Enter the price in CNY per second with at most two decimals, e.g. 9.50.') {
  const match = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) throw refusal(code, message);
  return Number(match[1]) * 100 + Number((match[2] || '').padEnd(2, '0'));
}

// A whole number of at most maxDigits digits (so it stays exact as a JavaScript number), or the refusal given.
function wholeNumber(text, maxDigits, code, message) {
  if (!new RegExp(`^\\s*\\d{1,${maxDigits}}\\s*$`).test(text)) throw refusal(code, message);
  return Number(text);
}

const wholeMinutes = (text) => wholeNumber(text, 4, 'invalid_request', 'Enter the length in whole minutes.');
const wholeSeconds = (text) => wholeNumber(text, 15, 'invalid_quantity', 'Enter a whole number of seconds.');

// What a limit order would pay or bring at its price, by the exchange's own rules (GET /api/v1/rules): a buy pays price
// x quantity; a sale brings that less the commission, rounded half up to the fen. Fills at better prices do better.
// BigInt, since a price and a quantity typed in full can multiply past what a JavaScript number holds exactly.
function orderEstimate(side, priceFen, quantity, rules) {
  const notional = BigInt(priceFen) * BigInt(quantity);
  if (notional > BigInt(rules.maxOrderNotionalFen)) return `over the ${yuan(rules.maxOrderNotionalFen)} CNY one order may carry`;
  if (side === 'buy') return `pays at most ${yuan(Number(notional))} CNY`;
  const fee = (notional * BigInt(rules.commissionBasisPoints) + 5000n) / 10000n;
  return `brings at least ${yuan(Number(notional - fee))} CNY: ${yuan(Number(notional))} less the ${rules.commissionBasisPoints / 100}% fee of ${yuan(Number(fee))}`;
}

// A market order trades at any price inside today's band, so its worst case is the band's edge: what a buy reserves.
function showOrderEstimate() {
  let text = '';
  try {
    const side = $('order-side').value;
    if (state.rules && $('order-type').value === 'limit') {
      text = orderEstimate(side, fenFromYuan($('order-price').value), wholeSeconds($('order-quantity').value), state.rules);
    } else if (state.rules && state.bookQuote && state.bookQuote.isOpen) {
      const edge = side === 'buy' ? state.bookQuote.bandUpperFen : state.bookQuote.bandLowerFen;
      text = `${orderEstimate(side, edge, wholeSeconds($('order-quantity').value), state.rules)} (at worst, at the band's edge ${yuan(edge)})`;
    }
  } catch {
    // Not a price and a quantity yet: the form says what is wrong when it is sent.
  }

  $('order-estimate').textContent = text;
}

// A refusal the page makes itself, shown like the API's: code and message.
const refusal = (code, message) => Object.assign(new Error(message), { code });

function selectedCelebrity() {
  if (!state.selected) throw refusal('no_celebrity', 'Pick a celebrity first.');
  return state.selected;
}

async function placeOrder(event) {
  event.preventDefault();
  $('order-error').textContent = '';
  $('order-result').textContent = '';
  const type = $('order-type').value;
  try {
    const order = {
      clientOrderId: crypto.randomUUID(),
      celebrityId: selectedCelebrity(),
      side: $('order-side').value,
      type,
      quantity: wholeSeconds($('order-quantity').value),
    };
    const stop = $('order-stop').value.trim();
    // A stop order waits for its price as long as the form says, whatever its type; a plain market order never waits.
    order.timeInForce = type === 'market' && !stop ? 'immediateOrCancel' : $('order-tif').value;
    if (type === 'limit') order.priceFen = fenFromYuan($('order-price').value);
    if (stop) order.stopPriceFen = fenFromYuan(stop);
    const result = await api('/api/v1/orders', { method: 'POST', body: JSON.stringify(order) });
    const placed = result.order;
    const waits = placed.stopPriceFen && placed.filledQuantity === 0
      ? `, waits off the book for a trade at or ${placed.side === 'sell' ? 'below' : 'above'} ${yuan(placed.stopPriceFen)}` : '';
    $('order-result').textContent = `order ${placed.orderId}: ${placed.state}, ${placed.filledQuantity} of ${placed.quantity} s filled${waits}`;
    await refreshAccount();
  } catch (error) {
    $('order-error').textContent = `${error.code}: ${error.message}`;
  }
}

// Reducing keeps the order's place in the queue, which cancelling and placing a smaller one would lose.
async function reduceOrder(order, left) {
  const answer = prompt(`Seconds this order keeps to trade (1 to ${left - 1}); it keeps its place in the queue.`);
  if (answer === null) return;
  if (!/^\d+$/.test(answer.trim())) { alert('Whole seconds only.'); return; }
  await api(`/api/v1/orders/${encodeURIComponent(order.orderId)}`, { method: 'PATCH', body: JSON.stringify({ remainingQuantity: Number(answer.trim()) }) })
    .catch(e => alert(`${e.code}: ${e.message}`));
  setTimeout(refreshAccount, 300);
}

// One step on the exchange: a cancel and a new order could both fill in between.
async function repriceOrder(order) {
  const answer = prompt(`New price in CNY per second (now ${yuan(order.limitPriceFen)}); the order queues anew and may trade at once.`);
  if (answer === null) return;
  let priceFen;
  try { priceFen = fenFromYuan(answer); } catch (e) { alert(`${e.code}: ${e.message}`); return; }
  await api(`/api/v1/orders/${encodeURIComponent(order.orderId)}`, { method: 'PATCH', body: JSON.stringify({ priceFen }) })
    .catch(e => alert(`${e.code}: ${e.message}`));
  setTimeout(refreshAccount, 300);
}

async function refreshAccount() {
  if (state.role === 'fan') {
    // Everything is fetched before anything is cleared: refreshes overlap (a trade, a click), and one that cleared a
    // table and then awaited would let the other fill it too, showing every row twice.
    const [wallet, history, bookingList, withdrawals, topUps, adjustments] = await Promise.all([api('/api/v1/wallet'), api('/api/v1/wallet/history?limit=20'),
      api('/api/v1/bookings'), api('/api/v1/wallet/withdrawals'), api('/api/v1/wallet/payments'), api('/api/v1/wallet/adjustments')]);
    // A suspended account still sees everything and may cancel; the API refuses the rest with the same reason.
    $('suspended').hidden = !wallet.suspendedReason;
    $('suspended').textContent = wallet.suspendedReason
      ? `Your account is suspended by the exchange: ${wallet.suspendedReason}. You may cancel orders; placing orders and taking money out wait until it is lifted.` : '';
    const body = $('wallet').tBodies[0];
    body.replaceChildren(row(['cash (CNY)', yuan(wallet.cashAvailableFen), yuan(wallet.cashReservedFen), yuan(wallet.cashHeldForWithdrawalsFen)]));
    for (const h of wallet.holdings) {
      const tr = row([h.celebrityId + ' (s)', h.available, h.reserved, h.heldForBookings, '', yuan(h.costFen), '']);
      tr.dataset.celebrity = h.celebrityId;
      tr.dataset.seconds = h.available + h.reserved + h.heldForBookings;
      tr.dataset.cost = h.costFen ?? '';
      body.appendChild(tr);
    }
    showHoldingValues();
    $('realised-gain').textContent = `gain on seconds sold so far, after fees: ${signedYuan(wallet.realisedGainFen)} CNY`;
    const orders = $('orders').tBodies[0];
    orders.replaceChildren();
    for (const o of wallet.openOrders) {
      const left = o.quantity - o.filledQuantity - o.cancelledQuantity;
      const actions = document.createElement('span');
      // A stop waiting for its price has no place on the book to reprice yet.
      const repriceable = o.type === 'limit' && (!o.stopPriceFen || o.stopTriggered);
      actions.append(button('reduce', () => reduceOrder(o, left)), ...(repriceable ? [button('price', () => repriceOrder(o))] : []),
        button('cancel', async () => { await api(`/api/v1/orders/${encodeURIComponent(o.orderId)}`, { method: 'DELETE' }).catch(() => {}); setTimeout(refreshAccount, 300); }));
      const stop = o.stopPriceFen ? `, stop ${yuan(o.stopPriceFen)}${o.stopTriggered ? ' (triggered)' : ''}` : '';
      const price = (o.type === 'market' ? 'market' : yuan(o.limitPriceFen)) + stop;
      orders.appendChild(row([o.celebrityId, o.timeInForce === 'day' ? `${o.side} (today)` : o.side, price, o.quantity, o.filledQuantity, left, actions]));
    }
    $('my-trades').tBodies[0].replaceChildren(...history.trades.map(t =>
      row([t.executedAt.substring(11, 19), t.celebrityId, t.side, yuan(t.priceFen), t.quantity, yuan(t.commissionFen)])));
    $('top-ups').tBodies[0].replaceChildren(...topUps.slice(0, 10).map(p =>
      row([minuteUtc(p.receivedAt), p.paymentId, yuan(p.amountFen)])));
    $('adjustments').tBodies[0].replaceChildren(...adjustments.slice(0, 10).map(a =>
      row([minuteUtc(a.madeAt), signedYuan(a.amountFen), a.note || ''])));
    showWithdrawals(withdrawals);
    const bookings = $('bookings').tBodies[0];
    bookings.replaceChildren();
    for (const b of bookingList) {
      bookings.appendChild(row([b.celebrityId, b.slotId, b.seconds, b.status, b.status === 'held'
        ? button('cancel', async () => { await api(`/api/v1/celebrities/${encodeURIComponent(b.celebrityId)}/slots/${encodeURIComponent(b.slotId)}/booking`, { method: 'DELETE' }).catch(e => alert(e.message)); refreshAccount(); refreshSlots(); })
        : '']));
    }
  } else if (state.role === 'celebrity') {
    const [payouts, withdrawals] = await Promise.all([api('/api/v1/payouts'), api('/api/v1/payouts/withdrawals')]);
    $('payouts').textContent = `${payouts.accountId}: ${yuan(payouts.cashAvailableFen)} CNY`
      + (payouts.cashHeldForWithdrawalsFen > 0 ? `, and ${yuan(payouts.cashHeldForWithdrawalsFen)} CNY on its way to you` : '');
    showWithdrawals(withdrawals);
  } else if (state.role === 'operator') {
    const scheduled = await api('/api/v1/admin/audit/scheduled');
    $('scheduled-audit').textContent = (scheduled.every === '00:00:00' ? 'The exchange does not audit itself.' : `The exchange audits itself every ${duration(scheduled.every)}; `)
      + (!scheduled.last ? 'none has finished yet.'
        : `the latest ${scheduled.last.report.passed ? 'PASSED' : `FAILED (${scheduled.last.report.violations.length} violations: run one to see them)`}, started ${minuteUtc(scheduled.last.startedAt)} UTC.`);
    $('scheduled-audit').classList.toggle('error', scheduled.last?.report.passed === false);
    const commission = await api('/api/v1/admin/commission?days=3&top=5');
    $('commission').textContent = [
      `${yuan(commission.totalFen)} CNY from ${commission.tradeCount.toLocaleString('en-US')} trades`,
      ...commission.byDay.map(d => `${d.day}: ${yuan(d.fen)} CNY`),
      ...commission.topCelebrities.map(c => `${c.celebrityId}: ${yuan(c.fen)} CNY`),
    ].join('\n');
    const [silos, activations, flagged, delisted, withdrawals, offers] = await Promise.all([api('/api/v1/admin/cluster/silos'), api('/api/v1/admin/cluster/activations'),
      api('/api/v1/admin/celebrities?status=flagged'), api('/api/v1/admin/celebrities?status=delisted'), api('/api/v1/admin/withdrawals'), api('/api/v1/admin/offers')]);
    $('pending-withdrawals').tBodies[0].replaceChildren(...withdrawals.map(w => row([minuteUtc(w.requestedAt), w.accountId, yuan(w.amountFen),
      withdrawalDecisions(w)])));
    $('pending-offers').tBodies[0].replaceChildren(...offers.map(o => row([minuteUtc(o.offeredAt), o.celebrityId, o.offeredBy, o.seconds.toLocaleString('en-US'),
      yuan(o.priceFen), o.counter ? `${counterTerms(o.counter)}, waiting for them` : o.note || '', offerDecisions(o)])));
    const body = $('silos').tBodies[0];
    body.replaceChildren();
    for (const s of silos) {
      const count = activations.filter(a => a.silo === s.address).reduce((sum, a) => sum + a.activations, 0);
      body.appendChild(row([s.address, s.status, s.build === null ? '-' : `${s.build} (${s.newestBuild ? 'newest' : 'older'})`, count]));
    }
    // Flagged celebrities get no new issuance until their audience recovers; delisted ones do not trade.
    $('review').tBodies[0].replaceChildren(
      ...flagged.map(c => row([c.celebrityId, `flagged: ${c.flagReason}`])),
      ...delisted.map(c => row([c.celebrityId, `delisted: ${c.delistReason}`])));
  }
}

function showWithdrawals(withdrawals) {
  $('withdrawals').tBodies[0].replaceChildren(...withdrawals.map(w =>
    row([minuteUtc(w.requestedAt), yuan(w.amountFen), w.status, w.note || ''])));
}

// A fan takes cash out of its wallet; a celebrity or agent what the platform paid into its payout account.
const cashOutAccount = () => state.role === 'celebrity' ? '/api/v1/payouts' : '/api/v1/wallet';

// The same amount sent again before an answer came (a double click, a retry after a timeout) keeps its request id,
// so the exchange takes it once; the id is dropped once the request is answered.
async function requestWithdrawal(event) {
  event.preventDefault();
  $('withdraw-result').textContent = '';
  try {
    const amountFen = fenFromYuan($('withdraw-amount').value, 'invalid_amount', 'Enter the amount in CNY with at most two decimals, e.g. 200.00.');
    if (!state.withdrawal || state.withdrawal.amountFen !== amountFen) state.withdrawal = { amountFen, requestId: crypto.randomUUID().slice(0, 18) };
    const withdrawal = await api(`${cashOutAccount()}/withdrawals`, { method: 'POST', body: JSON.stringify(state.withdrawal) });
    state.withdrawal = null;
    $('withdraw-result').textContent = `${yuan(withdrawal.amountFen)} CNY held until an operator pays it out`;
    $('withdraw-amount').value = '';
    await refreshAccount();
  } catch (error) {
    $('withdraw-result').textContent = `${error.code}: ${error.message}`;
  }
}

// An operator's decisions on one item (a withdrawal, an offer of time), each a button that asks for a note the item's
// owner reads and posts it to path/action. A cancelled prompt, or a required note left empty, decides nothing.
function decisionButtons(path, choices) {
  const cell = document.createElement('span');
  cell.append(...choices.map(({ label, action, question, noteRequired = true, then }) => button(label, async () => {
    const note = prompt(question);
    if (note === null || (noteRequired && !note.trim())) return;
    const decided = await api(`${path}/${action}`, { method: 'POST', body: JSON.stringify({ note }) }).catch(e => alert(`${e.code}: ${e.message}`));
    then?.(decided);
    await refreshAccount();
  })));
  return cell;
}

// Paying is recorded after the money was sent, with its reference; a rejection gives the fan the reason.
function withdrawalDecisions(w) {
  return decisionButtons(`/api/v1/admin/accounts/${encodeURIComponent(w.accountId)}/withdrawals/${encodeURIComponent(w.requestId)}`, [
    { label: 'paid…', action: 'pay', question: `Reference of the payout of ${yuan(w.amountFen)} CNY to ${w.accountId}:` },
    { label: 'reject…', action: 'reject', question: `Why is the withdrawal of ${w.accountId} rejected? (the account's owner sees this)` },
  ]);
}

// Accepting buys the time at the asked price from the treasury (the answer says if the treasury is short); declining
// tells the celebrity's side why.
function offerDecisions(o) {
  const path = `/api/v1/admin/celebrities/${encodeURIComponent(o.celebrityId)}/offers/${encodeURIComponent(o.offerId)}`;
  const cell = decisionButtons(path, [
    // A countered offer waits for the celebrity's side: its first terms are off the table.
    ...(o.status === 'countered' ? [] : [{ label: 'accept…', action: 'accept', noteRequired: false,
      question: `Buy ${o.seconds} s of ${o.celebrityId} for ${yuan(o.seconds * o.priceFen)} CNY? A note for them (optional):`,
      // Bought all the same, but an asked price outside today's band cannot rest on the book yet.
      then: (decided) => { if (decided?.issuance?.error) alert(`Bought, but: ${decided.issuance.error.message}`); } }]),
    { label: 'decline…', action: 'decline', question: `Why is the offer of ${o.celebrityId} declined? (they see this)` },
  ]);
  cell.append(button('counter…', () => counterOffer(path, o).catch(e => alert(`${e.code}: ${e.message}`))));
  return cell;
}

const counterTerms = (c) => `countered: ${c.seconds.toLocaleString('en-US')} s at ${yuan(c.priceFen)}`;

// Other terms, typed as "seconds price [note]": the celebrity's side accepts them or withdraws the offer.
async function counterOffer(path, o) {
  const answer = prompt(`Your terms for ${o.celebrityId}'s offer of ${o.seconds} s at ${yuan(o.priceFen)} CNY/s: seconds, CNY per second and a note for them, e.g. "400 2.80 half now"`);
  if (answer === null || !answer.trim()) return;
  const [seconds, price, ...note] = answer.trim().split(/\s+/);
  await api(`${path}/counter`, { method: 'POST', body: JSON.stringify({ seconds: wholeSeconds(seconds), priceFen: fenFromYuan(price), note: note.join(' ') || undefined }) });
  await refreshAccount();
}

// An operator looks an account up by id, and may suspend it (its open orders are cancelled) or lift the suspension.
async function lookUpAccount(event) {
  event?.preventDefault();
  const accountId = $('lookup-account').value.trim();
  if (!accountId) return;
  try {
    const w = await api(`/api/v1/admin/accounts/${encodeURIComponent(accountId)}/wallet`);
    $('looked-up').textContent = `${w.accountId}: ${yuan(w.cashAvailableFen)} CNY available, ${yuan(w.cashReservedFen)} reserved, `
      + `${w.holdings.length} holdings, ${w.openOrders.length} open orders` + (w.suspendedReason ? ` · SUSPENDED: ${w.suspendedReason}` : '');
    $('account-actions').hidden = false;
    $('suspend-account').hidden = !!w.suspendedReason;
    $('reinstate-account').hidden = !w.suspendedReason;
  } catch (error) {
    $('looked-up').textContent = `${error.code}: ${error.message}`;
    $('account-actions').hidden = true;
  }
}

async function setSuspension(suspend) {
  const accountId = $('lookup-account').value.trim();
  const reason = suspend ? prompt(`Why is ${accountId} suspended? (its owner reads this)`) : '';
  if (suspend && !reason?.trim()) return;
  await api(`/api/v1/admin/accounts/${encodeURIComponent(accountId)}/${suspend ? 'suspend' : 'reinstate'}`,
    { method: 'POST', body: suspend ? JSON.stringify({ reason }) : undefined }).catch(e => alert(`${e.code}: ${e.message}`));
  await lookUpAccount();
}

async function refreshSlots() {
  if (state.role === 'celebrity') return refreshOwnSlots();
  if (!state.selected || state.role !== 'fan') return;
  const slots = await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots`);
  const body = $('slots').tBodies[0];
  body.replaceChildren();
  for (const s of slots) {
    body.appendChild(row([s.slotId, s.kind, minuteUtc(s.start), s.seconds, s.status === 'open'
      ? button('book', async () => { await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots/${encodeURIComponent(s.slotId)}/booking`, { method: 'POST' }).catch(e => alert(e.message)); refreshSlots(); refreshAccount(); })
      : s.status, s.joiningDetails || '']));
  }
}

// A celebrity (or its agent) publishes slots for the selected celebrity and reports how booked ones went; the API
// decides whether this key may act for that celebrity.
async function refreshOwnSlots() {
  const body = $('my-slots').tBodies[0];
  if (!state.selected) { body.replaceChildren(); $('my-offers').tBodies[0].replaceChildren(); return; }
  refreshOwnOffers();
  const slotPath = (s, action) => `/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots/${encodeURIComponent(s.slotId)}/${action}`;
  const act = (s, action) => api(slotPath(s, action), { method: 'POST' })
    .then(() => { $('publish-result').textContent = `${s.slotId}: ${action} done`; })
    .catch(error => { $('publish-result').textContent = `${error.code}: ${error.message}`; })
    .then(refreshOwnSlots);
  const slots = await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots?includeClosed=true`);
  body.replaceChildren();
  for (const s of slots) {
    const actions = document.createElement('span');
    if (s.status === 'open') actions.append(button('withdraw', () => act(s, 'cancel')));
    if (s.status === 'booked') actions.append(button('fulfilled', () => act(s, 'fulfil')), button('no-show', () => act(s, 'no-show')), button('cancel', () => act(s, 'cancel')));
    if (s.status === 'open' || s.status === 'booked') actions.append(button('how to join…', () => setJoiningDetails(s)));
    body.appendChild(row([s.slotId, s.kind, minuteUtc(s.start), s.status, s.fanId || '', s.joiningDetails || '', actions]));
  }
}

// How to join a slot (a call's link, where exactly to meet): the exchange shows it to the fan who books it, and nobody else.
async function setJoiningDetails(s) {
  const details = prompt(`How to join ${s.slotId} (only the fan who books it sees this; empty takes it away):`, s.joiningDetails || '');
  if (details === null) return;
  await api(`/api/v1/celebrities/${encodeURIComponent(state.selected)}/slots/${encodeURIComponent(s.slotId)}/details`,
    { method: 'POST', body: JSON.stringify({ joiningDetails: details.trim() || null }) })
    .then(() => { $('publish-result').textContent = `${s.slotId}: how to join saved`; })
    .catch(error => { $('publish-result').textContent = `${error.code}: ${error.message}`; });
  await refreshOwnSlots();
}

async function publishSlot(event) {
  event.preventDefault();
  $('publish-result').textContent = '';
  try {
    const celebrityId = selectedCelebrity();
    const start = new Date($('slot-start').value);
    if (isNaN(start)) throw refusal('invalid_request', 'Pick when the slot starts.');
    const slot = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/slots`, {
      method: 'POST',
      body: JSON.stringify({ slotId: $('slot-id').value.trim(), start: start.toISOString(), durationMinutes: wholeMinutes($('slot-minutes').value),
        kind: $('slot-kind').value, location: $('slot-location').value.trim() || null, joiningDetails: $('slot-details').value.trim() || null }),
    });
    $('publish-result').textContent = `published ${slot.slotId}: ${slot.seconds} s a booking`;
  } catch (error) {
    $('publish-result').textContent = `${error.code}: ${error.message}`;
  }
  await refreshOwnSlots();
}

// The selected celebrity's offers of time; one still waiting can be withdrawn.
async function refreshOwnOffers() {
  const celebrityId = state.selected;
  const offers = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/offers`).catch(() => []);
  const path = (o) => `/api/v1/celebrities/${encodeURIComponent(celebrityId)}/offers/${encodeURIComponent(o.offerId)}`;
  const act = (o, method, suffix = '') => async () => {
    await api(path(o) + suffix, { method }).catch(e => { $('offer-result').textContent = `${e.code}: ${e.message}`; });
    await refreshOwnOffers();
  };
  $('my-offers').tBodies[0].replaceChildren(...offers.map(o => {
    const actions = document.createElement('span');
    // An operator's counter-offer is taken as it stands (the time is sold on its terms) or the offer withdrawn.
    if (o.status === 'countered') actions.append(button('accept', act(o, 'POST', '/accept')));
    if (o.status === 'pending' || o.status === 'countered') actions.append(button('withdraw', act(o, 'DELETE')));
    return row([o.offerId, o.seconds.toLocaleString('en-US'), yuan(o.priceFen), o.status === 'countered' ? counterTerms(o.counter) : o.status,
      (o.status === 'pending' ? o.note : o.status === 'countered' ? o.counter.note || o.note : o.decisionNote || o.note) || '', actions]);
  }));
}

// The same offer sent again before an answer came keeps its id, so the exchange records it once.
async function offerTime(event) {
  event.preventDefault();
  $('offer-result').textContent = '';
  try {
    const celebrityId = selectedCelebrity();
    const terms = { seconds: wholeSeconds($('offer-seconds').value), priceFen: fenFromYuan($('offer-price').value), note: $('offer-note').value.trim() || null };
    const same = state.offer && state.offer.celebrityId === celebrityId && ['seconds', 'priceFen', 'note'].every(k => state.offer.terms[k] === terms[k]);
    if (!same) state.offer = { celebrityId, terms, offerId: crypto.randomUUID().slice(0, 18) };
    const offer = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/offers`, { method: 'POST', body: JSON.stringify({ ...terms, offerId: state.offer.offerId }) });
    state.offer = null;
    $('offer-result').textContent = `offered ${offer.seconds} s at ${yuan(offer.priceFen)} CNY/s: an operator decides`;
    $('offer-form').reset();
  } catch (error) {
    $('offer-result').textContent = `${error.code}: ${error.message}`;
  }
  await refreshOwnOffers();
}

// Text chats with the selected celebrity: a fan's own, or all of them for the celebrity's side (the API decides which).
const chatsPath = (celebrityId) => `/api/v1/celebrities/${encodeURIComponent(celebrityId)}/chat-sessions`;
const chatTime = (iso) => new Date(iso).toISOString().substring(0, 19).replace('T', ' ');
const chatsShown = () => state.selected && (state.role === 'fan' || state.role === 'celebrity');

async function refreshChats() {
  if (!chatsShown()) { $('chats').tBodies[0].replaceChildren(); $('chat-blocks').tBodies[0].replaceChildren(); return; }
  if (state.role === 'celebrity') refreshChatBlocks();
  const celebrityId = state.selected;
  const chats = await api(chatsPath(celebrityId)).catch(() => []);
  if (celebrityId !== state.selected) return;
  $('chats').tBodies[0].replaceChildren(...chats.map(c => {
    const tr = row([minuteUtc(c.openedAt), c.fanId, c.status, c.messageCount, `${c.usedSeconds} / ${c.heldSeconds}`]);
    tr.dataset.id = c.chatId;
    tr.classList.toggle('selected', state.chat !== null && state.chat.chatId === c.chatId);
    tr.addEventListener('click', () => showChat(celebrityId, c.chatId));
    return tr;
  }));
}

// A duration in the unit a person would say it in: 40 s, 12 min, 3.5 h.
function roughDuration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min`;
  return `${(Math.ceil(seconds / 360) / 10).toLocaleString('en-US')} h`;
}

// How quickly the celebrity shown answers chats, for a fan deciding whether to open one (and for its side, to see).
async function refreshResponsiveness() {
  const celebrityId = state.selected;
  if (!celebrityId) return;
  const r = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/chat-responsiveness`).catch(() => null);
  if (celebrityId !== state.selected) return;
  $('chat-responsiveness').textContent = !r ? ''
    : r.decidedChats === 0 ? 'No chat answered or missed yet.'
    : `Answered ${r.answeredChats} of its last ${r.decidedChats} chats` + (r.medianAnswerSeconds === null ? '.' : `, half of them within ${roughDuration(r.medianAnswerSeconds)}.`);
}

// Fans the celebrity's side stopped from chatting with the celebrity shown, each with a button to let it chat again.
async function refreshChatBlocks() {
  const celebrityId = state.selected;
  const blocks = await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/chat-blocks`).catch(() => []);
  if (celebrityId !== state.selected) return;
  $('chat-blocks').tBodies[0].replaceChildren(...blocks.map(b => {
    const tr = row([b.fanId, minuteUtc(b.blockedAt), b.blockedBy, b.until ? minuteUtc(b.until) : 'when unblocked', button('unblock', async () => {
      await api(`/api/v1/celebrities/${encodeURIComponent(celebrityId)}/chat-blocks/${encodeURIComponent(b.fanId)}`, { method: 'DELETE' }).catch(() => {});
      refreshChatBlocks();
    })]);
    tr.dataset.id = b.fanId;
    return tr;
  }));
}

// Blocking the shown chat's fan ends its open chats with this celebrity and refuses its new ones.
async function blockChatFan() {
  const shown = state.chat;
  $('chat-error').textContent = $('chat-block-result').textContent = '';
  try {
    const chat = await api(`${chatsPath(shown.celebrityId)}/${encodeURIComponent(shown.chatId)}`);
    const hours = $('chat-block-hours').value ? Number($('chat-block-hours').value) : undefined;
    const result = await api(`/api/v1/celebrities/${encodeURIComponent(shown.celebrityId)}/chat-blocks/${encodeURIComponent(chat.fanId)}`,
      { method: 'PUT', body: JSON.stringify({ hours }) });
    $('chat-block-result').textContent = `${result.block.fanId} blocked${result.block.until ? ' until ' + minuteUtc(result.block.until) + ' UTC' : ''}: ` +
      `${result.endedChats.length} open chat(s) ended, new ones refused.`;
  } catch (error) {
    $('chat-error').textContent = `${error.code}: ${error.message}`;
  }
  await refreshChat();
  refreshChats();
  refreshMyChats();
}

// Whose turn it is in an open chat, as the signed-in side sees it.
function waitingOn(chat) {
  if (chat.status === 'ended' || !chat.lastMessageFrom) return '';
  const mine = state.role === 'fan' ? 'fan' : 'celebrity';
  return chat.lastMessageFrom === mine ? (state.role === 'fan' ? chat.celebrityId : chat.fanId) : 'you';
}

// Chats across celebrities: a fan's latest, or every open chat the celebrity's side has to answer. A click opens one.
async function refreshMyChats() {
  if (state.role !== 'fan' && state.role !== 'celebrity') return;
  $('my-chats-title').textContent = state.role === 'fan' ? 'Your chats' : 'Chats to answer';
  const chats = await api('/api/v1/chats').catch(() => []);
  $('my-chats').tBodies[0].replaceChildren(...chats.map(c => {
    const tr = row([minuteUtc(c.openedAt), c.celebrityId, c.fanId, c.status, `${c.usedSeconds} / ${c.heldSeconds}`, waitingOn(c)]);
    tr.dataset.id = c.chatId;
    tr.classList.toggle('your-turn', waitingOn(c) === 'you');
    tr.addEventListener('click', async () => {
      if (state.selected !== c.celebrityId) await select(c.celebrityId);
      await showChat(c.celebrityId, c.chatId);
    });
    return tr;
  }));
}

// What the chat costs so far, in the words a fan needs to decide whether to go on.
function chatStatus(chat) {
  if (chat.status === 'waiting') return `Waiting for ${chat.celebrityId}'s answer until ${minuteUtc(chat.endsAt)} UTC: ${chat.heldSeconds} s held, none used yet.`;
  if (chat.status === 'live') {
    const usedUp = new Date(chat.endsAt).getTime() === new Date(chat.answeredAt).getTime() + chat.heldSeconds * 1000;
    return `Live since ${chatTime(chat.answeredAt)} UTC: ${chat.usedSeconds} of ${chat.heldSeconds} s used so far (to the last message); `
      + (usedUp ? `its seconds are used up at ${chatTime(chat.endsAt)} UTC.` : `it ends at ${chatTime(chat.endsAt)} UTC if nobody writes before.`);
  }
  const how = { fan: 'by the fan', celebrity: "by the celebrity's side", time: 'its seconds were used up', idle: 'nobody wrote for a while', unanswered: 'no answer in time' }[chat.endedBy] || '';
  return `Ended (${how}): used ${chat.usedSeconds} of ${chat.heldSeconds} s, the rest returned.`;
}

async function showChat(celebrityId, chatId) {
  state.chat = { celebrityId, chatId };
  $('chat-error').textContent = $('chat-block-result').textContent = '';
  for (const tr of $('chats').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === chatId);
  await refreshChat();
}

async function refreshChat() {
  const shown = state.chat;
  if (!shown) { $('chat-view').hidden = true; return; }
  const chat = await api(`${chatsPath(shown.celebrityId)}/${encodeURIComponent(shown.chatId)}`);
  if (state.chat !== shown) return;
  $('chat-view').hidden = false;
  $('chat-status').textContent = chatStatus(chat);
  $('chat-messages').replaceChildren(...chat.messages.map(m => {
    const p = document.createElement('p');
    p.className = m.from;
    p.textContent = `${chatTime(m.at)} ${m.from === 'fan' ? m.authorId : `${m.authorId} (for ${chat.celebrityId})`}: ${m.text}`;
    return p;
  }));
  $('chat-reply').hidden = chat.status === 'ended';
}

// The same chat sent again before an answer came keeps its id, so it is opened (and its seconds held) once.
async function openNewChat(event) {
  event.preventDefault();
  $('chat-result').textContent = '';
  try {
    const celebrityId = selectedCelebrity();
    const terms = { seconds: wholeSeconds($('chat-seconds').value), message: $('chat-message').value.trim() };
    const same = state.newChat && state.newChat.celebrityId === celebrityId && state.newChat.terms.seconds === terms.seconds && state.newChat.terms.message === terms.message;
    if (!same) state.newChat = { celebrityId, terms, chatId: crypto.randomUUID().slice(0, 18) };
    const chat = await api(chatsPath(celebrityId), { method: 'POST', body: JSON.stringify({ ...terms, chatId: state.newChat.chatId }) });
    state.newChat = null;
    $('chat-result').textContent = `chat open: ${chat.heldSeconds} s held`;
    $('chat-form').reset();
    await refreshChats();
    await showChat(celebrityId, chat.chatId);
    await refreshMyChats();
    await refreshAccount();
  } catch (error) {
    $('chat-result').textContent = `${error.code}: ${error.message}`;
  }
}

async function chatAction(action, body) {
  const shown = state.chat;
  $('chat-error').textContent = '';
  try {
    await api(`${chatsPath(shown.celebrityId)}/${encodeURIComponent(shown.chatId)}/${action}`, { method: 'POST', body: body && JSON.stringify(body) });
    if (action === 'messages') $('chat-text').value = '';
  } catch (error) {
    $('chat-error').textContent = `${error.code}: ${error.message}`;
  }
  await refreshChat();
  await refreshChats();
  await refreshMyChats();
  if (action === 'end') await refreshAccount();
}

async function runAudit() {
  const report = await api('/api/v1/admin/audit');
  const seconds = Object.values(report.secondsOutstanding).reduce((sum, s) => sum + s, 0);
  $('audit').textContent = [
    `${report.passed ? 'PASSED' : 'FAILED'}: ${report.accountCount} accounts, ${report.celebrityCount} celebrities, ${report.journalTradeCount} trades`,
    `cash ${yuan(report.totalCashFen)} CNY, net deposits ${yuan(report.netDepositsFen)} CNY`,
    `commission ${yuan(report.commissionTotalFen)} CNY, journal ${yuan(report.journalCommissionFen)} CNY`,
    `seconds outstanding ${seconds}`,
    ...report.violations,
  ].join('\n');
}

async function rebalance() {
  const result = await api('/api/v1/admin/cluster/rebalance', { method: 'POST' });
  $('rebalance-result').textContent = `asked ${result.moved} activations to move`;
  setTimeout(refreshAccount, 1000);
}

// Halts (with the reason typed) or resumes what adminPath names: one celebrity, or the whole exchange.
async function halt(adminPath, resume) {
  if (!adminPath) return;
  await api(`${adminPath}/${resume ? 'resume' : 'halt'}`,
    { method: 'POST', body: resume ? undefined : JSON.stringify({ reason: $('halt-reason').value || 'halted by an operator' }) });
  await refreshBook();
}

// Cancels every resting order, so it needs the reason typed and a confirmation; fans keep their seconds and may still
// redeem them. Relisting (API or command line) reopens the book, not the cancelled orders.
async function delist() {
  const celebrityId = selectedCelebrity();
  const reason = $('halt-reason').value.trim();
  if (!reason) throw refusal('invalid_request', 'Type the reason for delisting first: it is shown with the celebrity from now on.');
  if (!confirm(`Delist ${celebrityId}? Every resting order is cancelled, and it does not trade until an operator relists it.`)) return;
  await api(`/api/v1/admin/celebrities/${encodeURIComponent(celebrityId)}/delist`, { method: 'POST', body: JSON.stringify({ reason }) });
  await refreshBook();
}

async function relist() {
  await api(`/api/v1/admin/celebrities/${encodeURIComponent(selectedCelebrity())}/relist`, { method: 'POST' });
  await refreshBook();
}

function showAgent(agentId) {
  $('selected-agent').textContent = agentId ? `represented by ${agentId}` : '';
  $('selected-agent').dataset.agent = agentId || '';
}

// A celebrity that changes agency: the new agent acts for it and is paid for time issued from now on.
async function setAgent() {
  const celebrityId = selectedCelebrity();
  const agentId = prompt(`The new agent of ${celebrityId} (empty: none, the celebrity acts for itself)`, $('selected-agent').dataset.agent || '');
  if (agentId === null) return;
  const change = await api(`${selectedCelebrityAdminPath()}/agent`, { method: 'PUT', body: JSON.stringify({ agentId: agentId.trim() }) });
  showAgent(change.celebrity.agentId);
  $('agent-result').textContent = `agent ${change.celebrity.agentId || '(none)'}, was ${change.previousAgentId || '(none)'}; ` +
    `offers of time withdrawn: ${change.withdrawnOffers.length}`;
}

const selectedCelebrityAdminPath = () => state.selected && `/api/v1/admin/celebrities/${encodeURIComponent(state.selected)}`;

// The feed pushes the watched celebrity's trades and trading-state changes; an order resting or cancelled without a
// trade pushes nothing, and the list's other celebrities push nothing at all. So the market is read again every few
// seconds while the tab is visible, through the same once-a-second throttle as the feed's refreshes.
setInterval(() => { if (!document.hidden) refreshMarket(); }, 5000);
// Operators have no feed of their own: withdrawals waiting, flags and silos are read again every 15 s while visible.
setInterval(() => { if (!document.hidden && state.role === 'operator') refreshAccountSoon(); }, 15000);

$('login').addEventListener('submit', (e) => { e.preventDefault(); login($('api-key').value.trim()); $('api-key').value = ''; });
$('logout').addEventListener('click', logout);
$('add-app-key').addEventListener('click', addAppKey);
$('replace-key').addEventListener('click', () => replaceKey().catch(e => alert(`${e.code}: ${e.message}`)));
$('filter').addEventListener('input', renderCelebrities);
$('order-form').addEventListener('submit', placeOrder);
$('chat-form').addEventListener('submit', openNewChat);
$('chat-reply').addEventListener('submit', (e) => { e.preventDefault(); chatAction('messages', { text: $('chat-text').value }); });
$('chat-end').addEventListener('click', () => chatAction('end'));
$('chat-block').addEventListener('click', blockChatFan);
// Chats arrive through their feed; these reads are the net under it, since feeds are best effort.
setInterval(() => { if (!document.hidden) refreshMyChats(); }, 30000);
setInterval(() => {
  if (!chatsShown() || document.hidden) return;
  refreshChats();
  if (state.chat && state.chat.celebrityId === state.selected) refreshChat().catch(() => {});
}, 30000);
$('withdraw-form').addEventListener('submit', requestWithdrawal);
$('cancel-all').addEventListener('click', () => api('/api/v1/orders', { method: 'DELETE' }).catch(() => {}).then(() => setTimeout(refreshAccount, 300)));
$('publish-form').addEventListener('submit', publishSlot);
$('offer-form').addEventListener('submit', offerTime);
$('lookup-form').addEventListener('submit', lookUpAccount);
$('suspend-account').addEventListener('click', () => setSuspension(true));
$('reinstate-account').addEventListener('click', () => setSuspension(false));
// How long an order waits matters to a limit order, and to a market order only while it waits for its stop price.
function enableOrderFields() {
  const market = $('order-type').value === 'market';
  $('order-price').disabled = market;
  $('order-tif').disabled = market && !$('order-stop').value.trim();
}
$('order-type').addEventListener('change', enableOrderFields);
$('order-stop').addEventListener('input', enableOrderFields);
for (const input of ['order-side', 'order-type', 'order-price', 'order-quantity']) $(input).addEventListener('input', showOrderEstimate);
api('/api/v1/rules').then(rules => { state.rules = rules; showOrderEstimate(); }).catch(() => {});
$('run-audit').addEventListener('click', runAudit);
$('rebalance').addEventListener('click', () => rebalance().catch(error => { $('rebalance-result').textContent = `${error.code}: ${error.message}`; }));
$('halt').addEventListener('click', () => halt(selectedCelebrityAdminPath(), false));
$('resume').addEventListener('click', () => halt(selectedCelebrityAdminPath(), true));
$('halt-market').addEventListener('click', () => halt('/api/v1/admin/market', false));
$('resume-market').addEventListener('click', () => halt('/api/v1/admin/market', true));
$('delist').addEventListener('click', () => delist().catch(e => alert(`${e.code}: ${e.message}`)));
$('relist').addEventListener('click', () => relist().catch(e => alert(`${e.code}: ${e.message}`)));
$('set-agent').addEventListener('click', () => setAgent().catch(e => alert(`${e.code}: ${e.message}`)));
$('trades-csv').addEventListener('click', () => downloadTradesCsv().catch(e => alert(`${e.code}: ${e.message}`)));
// The address names the celebrity shown (…/#lin-yue), so a page can be bookmarked or shared.
const linkedCelebrity = () => decodeURIComponent(location.hash.slice(1));
window.addEventListener('hashchange', () => { if (linkedCelebrity() && linkedCelebrity() !== state.selected) select(linkedCelebrity()); });
loadCelebrities().then(() => {
  if (linkedCelebrity() && state.celebrities.some(c => c.celebrityId === linkedCelebrity())) select(linkedCelebrity());
  return state.key && login(state.key);
});

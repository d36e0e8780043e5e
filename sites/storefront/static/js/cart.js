// The cart lives in this browser (localStorage), so it survives closing the tab and costs the
// server nothing until the shopper checks out. Prices here are what the shopper saw when
// adding; the cart and checkout pages refresh them from the API.
const KEY = "behambinan.keranjang.v1";
const MAX_LINES = 50;

export function load() {
  try {
    const cart = JSON.parse(localStorage.getItem(KEY));
    if (cart && Array.isArray(cart.lines)) return cart;
  } catch (error) { /* a damaged cart is an empty one */ }
  return { lines: [] };
}

export function save(cart) {
  localStorage.setItem(KEY, JSON.stringify(cart));
  showCount(cart);
}

export function add(item, quantity) {
  const cart = load();
  const line = cart.lines.find((l) => l.variant_id === item.variant_id);
  if (line) line.quantity += quantity;
  else if (cart.lines.length < MAX_LINES) cart.lines.push({ ...item, quantity });
  else return false;
  save(cart);
  return true;
}

export function setQuantity(variantId, quantity) {
  const cart = load();
  cart.lines = cart.lines
    .map((l) => (l.variant_id === variantId ? { ...l, quantity } : l))
    .filter((l) => l.quantity > 0);
  save(cart);
  return cart;
}

export function clear() {
  save({ lines: [] });
}

export function byStore(cart) {
  const groups = new Map();
  for (const line of cart.lines) {
    if (!groups.has(line.store_id)) groups.set(line.store_id, { store_id: line.store_id, store_name: line.store_name, lines: [] });
    groups.get(line.store_id).lines.push(line);
  }
  return [...groups.values()];
}

export function count(cart = load()) {
  return cart.lines.reduce((n, l) => n + l.quantity, 0);
}

export function showCount(cart = load()) {
  for (const badge of document.querySelectorAll(".cart-count")) badge.textContent = String(count(cart));
}

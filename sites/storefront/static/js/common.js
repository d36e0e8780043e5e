// Loaded on every page: the cart count in the header.
import { showCount } from "./cart.js";

showCount();
window.addEventListener("storage", () => showCount());

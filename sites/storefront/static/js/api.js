// The storefront's calls to the API. No cookies are sent: the storefront has no session; an
// order's secret token travels in the X-Order-Token header only.
import { ApiError, apiRoot, request } from "./http.js";

export { ApiError };
const BASE = apiRoot();

export function api(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "omit" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return request(BASE + path, init);
}

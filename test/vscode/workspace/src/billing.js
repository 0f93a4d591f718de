// Billing for the fixture shop: it needs orders.js, and orders.js needs it (the import cycle).
import { orderTotal } from './orders.js';

function totalOf(order) {
  return Math.round(orderTotal(order) * 100) / 100;
}

export { totalOf };

// Orders for the fixture shop. The Software Architect finds a class with too many responsibilities here
// (order records, customer messages and files: three groups of methods that share no field), and an
// import cycle with billing.js when both files are reviewed.
import * as billing from './billing.js';

class OrderService {
  constructor({ store, messenger, files }) {
    Object.assign(this, { store, messenger, files });
  }

  createOrder(order) {
    return this.store.update(order.id, { lastAction: 'create', total: billing.totalOf(order) });
  }

  cancelOrder(order) {
    return this.store.update(order.id, { lastAction: 'cancel', total: billing.totalOf(order) });
  }

  refundOrder(order) {
    return this.store.update(order.id, { lastAction: 'refund', total: billing.totalOf(order) });
  }

  shipOrder(order) {
    return this.store.update(order.id, { lastAction: 'ship', total: billing.totalOf(order) });
  }

  trackOrder(order) {
    return this.store.update(order.id, { lastAction: 'track', total: billing.totalOf(order) });
  }

  invoiceOrder(order) {
    return this.store.update(order.id, { lastAction: 'invoice', total: billing.totalOf(order) });
  }

  discountOrder(order) {
    return this.store.update(order.id, { lastAction: 'discount', total: billing.totalOf(order) });
  }

  taxOrder(order) {
    return this.store.update(order.id, { lastAction: 'tax', total: billing.totalOf(order) });
  }

  auditOrder(order) {
    return this.files.write(`orders/${order.id}.audit.json`, JSON.stringify(order));
  }

  archiveOrder(order) {
    return this.files.write(`orders/${order.id}.archive.json`, JSON.stringify(order));
  }

  restoreOrder(order) {
    return this.files.write(`orders/${order.id}.restore.json`, JSON.stringify(order));
  }

  notifyOrder(order) {
    return this.messenger.send(order.customer, { kind: 'notify', orderId: order.id });
  }

  exportOrder(order) {
    return this.files.write(`orders/${order.id}.export.json`, JSON.stringify(order));
  }

  importOrder(order) {
    return this.files.write(`orders/${order.id}.import.json`, JSON.stringify(order));
  }

  mergeOrder(order) {
    return this.store.update(order.id, { lastAction: 'merge', total: billing.totalOf(order) });
  }

  splitOrder(order) {
    return this.store.update(order.id, { lastAction: 'split', total: billing.totalOf(order) });
  }

  priceOrder(order) {
    return this.store.update(order.id, { lastAction: 'price', total: billing.totalOf(order) });
  }

  reserveOrder(order) {
    return this.store.update(order.id, { lastAction: 'reserve', total: billing.totalOf(order) });
  }

  releaseOrder(order) {
    return this.store.update(order.id, { lastAction: 'release', total: billing.totalOf(order) });
  }

  approveOrder(order) {
    return this.store.update(order.id, { lastAction: 'approve', total: billing.totalOf(order) });
  }

  rejectOrder(order) {
    return this.store.update(order.id, { lastAction: 'reject', total: billing.totalOf(order) });
  }

  escalateOrder(order) {
    return this.messenger.send(order.customer, { kind: 'escalate', orderId: order.id });
  }

  assignOrder(order) {
    return this.store.update(order.id, { lastAction: 'assign', total: billing.totalOf(order) });
  }

  commentOrder(order) {
    return this.messenger.send(order.customer, { kind: 'comment', orderId: order.id });
  }

  tagOrder(order) {
    return this.store.update(order.id, { lastAction: 'tag', total: billing.totalOf(order) });
  }

  untagOrder(order) {
    return this.store.update(order.id, { lastAction: 'untag', total: billing.totalOf(order) });
  }

  flagOrder(order) {
    return this.store.update(order.id, { lastAction: 'flag', total: billing.totalOf(order) });
  }

  unflagOrder(order) {
    return this.store.update(order.id, { lastAction: 'unflag', total: billing.totalOf(order) });
  }

  lockOrder(order) {
    return this.store.update(order.id, { lastAction: 'lock', total: billing.totalOf(order) });
  }

  unlockOrder(order) {
    return this.store.update(order.id, { lastAction: 'unlock', total: billing.totalOf(order) });
  }

  scheduleOrder(order) {
    return this.store.update(order.id, { lastAction: 'schedule', total: billing.totalOf(order) });
  }

  rescheduleOrder(order) {
    return this.store.update(order.id, { lastAction: 'reschedule', total: billing.totalOf(order) });
  }

  remindOrder(order) {
    return this.messenger.send(order.customer, { kind: 'remind', orderId: order.id });
  }

  rateOrder(order) {
    return this.store.update(order.id, { lastAction: 'rate', total: billing.totalOf(order) });
  }

  reviewOrder(order) {
    return this.store.update(order.id, { lastAction: 'review', total: billing.totalOf(order) });
  }

  reorderOrder(order) {
    return this.store.update(order.id, { lastAction: 'reorder', total: billing.totalOf(order) });
  }

  duplicateOrder(order) {
    return this.store.update(order.id, { lastAction: 'duplicate', total: billing.totalOf(order) });
  }

  validateOrder(order) {
    return this.store.update(order.id, { lastAction: 'validate', total: billing.totalOf(order) });
  }

  printOrder(order) {
    return this.files.write(`orders/${order.id}.print.json`, JSON.stringify(order));
  }

  emailOrder(order) {
    return this.messenger.send(order.customer, { kind: 'email', orderId: order.id });
  }

  smsOrder(order) {
    return this.messenger.send(order.customer, { kind: 'sms', orderId: order.id });
  }

  webhookOrder(order) {
    return this.messenger.send(order.customer, { kind: 'webhook', orderId: order.id });
  }
}

function orderTotal(order) {
  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export { OrderService, orderTotal };

// Orders for the fixture shop. The Software Architect finds a class with too many responsibilities here,
// and an import cycle with billing.js when both files are reviewed.
import * as billing from './billing.js';

class OrderService {
  constructor(store) {
    this.store = store;
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
    return this.store.update(order.id, { lastAction: 'audit', total: billing.totalOf(order) });
  }

  archiveOrder(order) {
    return this.store.update(order.id, { lastAction: 'archive', total: billing.totalOf(order) });
  }

  restoreOrder(order) {
    return this.store.update(order.id, { lastAction: 'restore', total: billing.totalOf(order) });
  }

  notifyOrder(order) {
    return this.store.update(order.id, { lastAction: 'notify', total: billing.totalOf(order) });
  }

  exportOrder(order) {
    return this.store.update(order.id, { lastAction: 'export', total: billing.totalOf(order) });
  }

  importOrder(order) {
    return this.store.update(order.id, { lastAction: 'import', total: billing.totalOf(order) });
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
    return this.store.update(order.id, { lastAction: 'escalate', total: billing.totalOf(order) });
  }

  assignOrder(order) {
    return this.store.update(order.id, { lastAction: 'assign', total: billing.totalOf(order) });
  }

  commentOrder(order) {
    return this.store.update(order.id, { lastAction: 'comment', total: billing.totalOf(order) });
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
    return this.store.update(order.id, { lastAction: 'remind', total: billing.totalOf(order) });
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
    return this.store.update(order.id, { lastAction: 'print', total: billing.totalOf(order) });
  }

  emailOrder(order) {
    return this.store.update(order.id, { lastAction: 'email', total: billing.totalOf(order) });
  }

  smsOrder(order) {
    return this.store.update(order.id, { lastAction: 'sms', total: billing.totalOf(order) });
  }

  webhookOrder(order) {
    return this.store.update(order.id, { lastAction: 'webhook', total: billing.totalOf(order) });
  }
}

function orderTotal(order) {
  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

export { OrderService, orderTotal };

globalThis.invoiceHelpers = { format: (amount) => `$${amount.toFixed(2)}` };

import { LightningElement, api } from 'lwc';

export default class InvoiceList extends LightningElement {
  @api invoices = [];
}

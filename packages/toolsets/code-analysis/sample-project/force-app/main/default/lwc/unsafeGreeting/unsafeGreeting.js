import { LightningElement, api } from 'lwc';

export default class UnsafeGreeting extends LightningElement {
    @api name;

    renderedCallback() {
        const container = this.template.querySelector('.greeting');
        container.innerHTML = `<b>Hello, ${this.name}</b>`;
    }
}

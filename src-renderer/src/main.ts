import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createLabClient } from './bridge';
import { useEngineStore } from './stores/engine';
import './style.css';

const pinia = createPinia();
const app = createApp(App);
app.use(pinia);
// The one place the transport is chosen; stores only see the LabClient interface.
useEngineStore(pinia).attach(createLabClient());
app.mount('#app');

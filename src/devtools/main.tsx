import { render } from 'preact';
import { connect, inspectedTabId } from './connection';
import { Panel } from './Panel';
import { createPanelStore } from './store';
import { exposeForTests } from './test-hook';
import { applyTheme } from './theme';

applyTheme();

const store = createPanelStore();
const tabId = inspectedTabId();
const link = tabId === undefined ? undefined : connect(tabId, store.lastSeq, store.applyMessage);
const onClear = () => tabId !== undefined && link?.send({ type: 'clear', tabId });
const onDeep = (on: boolean) => tabId !== undefined && link?.send({ type: 'deep', tabId, on });
exposeForTests(store);

render(<Panel store={store} tabId={tabId} onClear={onClear} onDeep={onDeep} />, document.getElementById('app')!);

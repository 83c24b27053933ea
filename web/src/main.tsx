import { render } from 'preact'
import { App } from './app.tsx'
import { restore } from './session.ts'
import './styles.css'

// A reload keeps the tab's login (session.ts): restore it before the first page asks for one.
void restore().finally(() => render(<App />, document.getElementById('app')!))

import { signal } from '@preact/signals'
import type { ComponentChildren } from 'preact'

// Eight fixed routes need a path and a query, nothing more: a signal each, the History API, and
// links that navigate without a reload. (preact-iso would bring a server renderer as a peer.)
export const path = signal(location.pathname)
export const query = signal(new URLSearchParams(location.search))

export function navigate(to: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  sync()
  scrollTo(0, 0)
}

function sync() {
  path.value = location.pathname
  query.value = new URLSearchParams(location.search)
}
addEventListener('popstate', sync)

export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined; 'aria-label'?: string }) {
  return (
    <a
      {...props}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
        event.preventDefault()
        navigate(props.href)
      }}
    />
  )
}

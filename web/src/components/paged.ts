import { useCallback, useEffect, useState } from 'preact/hooks'
import { messageOf, type Page } from '../api.ts'

/** A cursor-paged list: the first page on mount (and when `key` changes), more on demand. */
export function usePaged<T>(load: (cursor: string | null) => Promise<Page<T>>, key: string) {
  const [items, setItems] = useState<T[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const fetchPage = useCallback(async (from: string | null, replace: boolean) => {
    setBusy(true)
    setError(null)
    try {
      const page = await load(from)
      setItems((old) => (replace ? page.items : [...old, ...page.items]))
      setCursor(page.next_cursor)
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setBusy(false)
      setLoaded(true)
    }
  }, [key])

  useEffect(() => {
    setItems([])
    setLoaded(false)
    void fetchPage(null, true)
  }, [key])

  return {
    items, setItems, loaded, busy, error,
    hasMore: cursor !== null,
    more: () => fetchPage(cursor, false),
    reload: () => fetchPage(null, true),
  }
}

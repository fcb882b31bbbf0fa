package server

// pageRoutes registers the web pages.
func (s *Server) pageRoutes() {}
